extension ReadOnlyFile {
    /// The file opened again by the same path: a running QEMU grows the image while we read it,
    /// and ``size`` is the size at open, so a re-scan needs a fresh descriptor and `fstat`.
    public func reopened() throws(FormatError) -> (any ByteSource)? {
        try ReadOnlyFile(rawPath: rawPath)
    }
}
