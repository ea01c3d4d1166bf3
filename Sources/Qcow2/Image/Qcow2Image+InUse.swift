extension Qcow2Image {
    /// Whether a running QEMU (or any process) holds QEMU's image locks on the file: the image is
    /// in use, and its metadata may change while we read it. Asking takes no lock; a source that
    /// cannot tell (not a file, no OFD locks) counts as not in use.
    public var isInUse: Bool { file.isLockedByAnotherProcess() == true }

    /// The image opened afresh from the same source (new header, current file size), for a
    /// re-scan of an image in use; nil when the source cannot be reopened.
    public func reopened() throws(FormatError) -> Qcow2Image? {
        guard let source = try file.reopened() else { return nil }
        return try Qcow2Image(file: source, limits: limits)
    }
}
