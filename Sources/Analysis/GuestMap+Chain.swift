import Qcow2

extension GuestMap {
    /// The map of a whole backing chain (``BackingChain/open(top:)``), top image first.
    ///
    /// Each qcow2 layer's external data file is opened (``Qcow2Image/openDataFile()``) so host
    /// holes can be asked about and the "File" column names it; when it cannot be opened the map
    /// still shows the offsets the L2 tables hold, and a finding says why. A chain that stopped
    /// early (missing backing file, loop, depth limit) ends at its last layer, which then reads
    /// as having no backing file; the chain's findings are kept. Throws when a layer's L1 table
    /// cannot be read (QEMU refuses to open such an image).
    public init(chain: BackingChain) throws(FormatError) {
        var layers: [GuestMapLayer] = []
        var findings = chain.findings
        for layer in chain.layers {
            if let image = layer.image {
                var dataFile: (any ByteSource)?
                switch image.openDataFile() {
                case .success(let file): dataFile = file
                case .failure(let error): findings.append(Finding(error, severity: .warning))
                case nil: break
                }
                let mapped = try GuestMapLayer(image: image, dataFile: dataFile)
                if let damage = mapped.damage { findings.append(damage) }
                layers.append(mapped)
            } else {
                layers.append(GuestMapLayer(raw: layer.file))
            }
        }
        self.init(layers: layers, findings: findings)
    }
}
