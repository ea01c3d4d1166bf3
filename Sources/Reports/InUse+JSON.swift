/// The `"in-use": true` pair every JSON report carries for an image a running QEMU holds
/// (``Analysis/ImageAnalysis/inUse``, ``Qcow2/Qcow2Image/isInUse``). Left out for an image at
/// rest, so those outputs stay what they were.
func inUsePair(_ inUse: Bool) -> (String, JSONValue?) {
    ("in-use", inUse ? .bool(true) : nil)
}
