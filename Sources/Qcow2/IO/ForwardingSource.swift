/// A byte source in front of another (``base``) that answers every question as the one behind
/// it does — size, name, holes, locks, identity, read-ahead hints, the remote server — and changes only how reads go: counted
/// (``CountingSource``), or failing on purpose (``FaultySource``).
public protocol ForwardingSource: ByteSource {
    var base: any ByteSource { get }
}

extension ForwardingSource {
    public var size: UInt64 { base.size }
    public var rawPath: [UInt8] { base.rawPath }
    public func allocation(at offset: UInt64) -> SourceExtent? { base.allocation(at: offset) }
    public var allocatedBytes: UInt64? { base.allocatedBytes }
    public func isLockedByAnotherProcess() -> Bool? { base.isLockedByAnotherProcess() }
    public var fileIdentity: FileIdentity? { base.fileIdentity }
    public func prefetch(_ ranges: [Range<UInt64>]) { base.prefetch(ranges) }
    public var remoteURL: RemoteURL? { base.remoteURL }
    public func openOnSameServer(_ url: RemoteURL) throws(FormatError) -> any ByteSource { try base.openOnSameServer(url) }
}
