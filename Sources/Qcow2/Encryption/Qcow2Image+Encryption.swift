extension Qcow2Image {
    /// Reads the LUKS header the full disk encryption header pointer names (spec, "Full disk
    /// encryption header pointer"), with findings for what is wrong around and inside it.
    ///
    /// Returns a nil header when the image is not LUKS-encrypted (crypt_method ≠ 2) or the header
    /// cannot be read; the spec's "present if, and only if" rule is checked both ways.
    public func readLUKSHeader() -> (header: LUKSHeader?, findings: [Finding]) {
        let isLUKS = header.encryption == .luks
        let extensionOffset = extensions.first { $0.knownType == .fullDiskEncryption }?.offset ?? 0
        guard let pointer = encryptionPointer else {
            if isLUKS {
                return (nil, [Finding(.error, .header, at: 32,
                                      "crypt_method is LUKS but there is no full disk encryption header extension")])
            }
            return (nil, [])
        }
        guard isLUKS else {
            return (nil, [Finding(.warning, .headerExtension, at: extensionOffset,
                                  "full disk encryption header extension present, but crypt_method is \(header.cryptMethod), not LUKS")])
        }
        var findings: [Finding] = []
        if header.hasUsableGeometry, pointer.offset & (header.clusterSize - 1) != 0 {
            findings.append(Finding(.error, .cryptoHeader, at: pointer.offset, "encryption header is not aligned to a cluster"))
        }
        if pointer.length < UInt64(LUKSHeader.size) {
            findings.append(Finding(.error, .cryptoHeader, at: pointer.offset,
                                    "encryption header length \(pointer.length) is shorter than a LUKS header (592)"))
        }
        let (end, overflow) = pointer.offset.addingReportingOverflow(pointer.length)
        if overflow || end > file.size {
            findings.append(Finding(.error, .cryptoHeader, at: pointer.offset,
                                    "encryption header of \(pointer.length) bytes runs past the end of the file (\(file.size) bytes)"))
        }
        do {
            let bytes = try file.readBytes(LUKSHeader.size, at: pointer.offset, for: .luksHeader)
            let luks = try LUKSHeader(parsing: bytes, at: pointer.offset)
            return (luks, findings + luks.validate(encryptionLength: pointer.length))
        } catch {
            return (nil, findings + [Finding(error)])
        }
    }
}
