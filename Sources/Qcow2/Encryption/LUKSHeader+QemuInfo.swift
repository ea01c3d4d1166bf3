/// How `qemu-img info` names what a LUKS header holds (QEMU's `qcrypto_block_luks_get_info` and
/// the name tables of crypto/block-luks.c). A LUKS header spells a cipher as a name plus a key
/// length; QEMU folds them into one QCryptoCipherAlgorithm name such as "aes-256".
extension LUKSHeader {
    /// The cipher mode field split at '-' and ':': "cbc-essiv:sha256" → ("cbc", "essiv", "sha256").
    public var parsedMode: (mode: String, ivgen: String, ivgenHash: String?)? {
        let text = cipherMode.string
        guard let dash = text.firstIndex(of: "-") else { return nil }
        let mode = String(text[..<dash])
        let rest = text[text.index(after: dash)...]
        guard ["ecb", "cbc", "xts", "ctr"].contains(mode) else { return nil }
        if let colon = rest.firstIndex(of: ":") {
            let ivgen = String(rest[..<colon])
            let hash = String(rest[rest.index(after: colon)...])
            guard Self.hashNames.contains(hash), ivgen == "essiv" else { return nil }
            return (mode, ivgen, hash)
        }
        // ESSIV always names its hash; plain IV generators never do.
        guard rest == "plain" || rest == "plain64" else { return nil }
        return (mode, String(rest), nil)
    }

    /// QEMU's cipher-alg: the cipher name plus its key size in bits. In XTS mode the master key is
    /// two keys of half the length, so "aes" with 64 key bytes is "aes-256".
    public var qemuCipherAlgorithm: String? {
        let name = cipherName.string
        var bytes = keyBytes
        if parsedMode?.mode == "xts" {
            guard bytes % 2 == 0 else { return nil }
            bytes /= 2
        }
        let bits = UInt64(bytes) * 8  // keyBytes is a 32-bit field: in 32 bits, × 8 could trap
        switch (name, bits) {
        case ("aes", 128), ("aes", 192), ("aes", 256): return "aes-\(bits)"
        case ("serpent", 128), ("serpent", 192), ("serpent", 256): return "serpent-\(bits)"
        case ("twofish", 128), ("twofish", 192), ("twofish", 256): return "twofish-\(bits)"
        case ("cast5", 128): return "cast5-128"
        case ("sm4", 128): return "sm4"
        default: return nil
        }
    }

    /// QEMU's cipher-mode ("xts", "cbc", "ecb", "ctr").
    public var qemuCipherMode: String? { parsedMode?.mode }
    /// QEMU's ivgen-alg ("plain64", "plain", "essiv").
    public var qemuIVGenAlgorithm: String? { parsedMode?.ivgen }
    /// QEMU's ivgen-hash-alg, present only for ESSIV ("essiv:sha256" → "sha256").
    public var qemuIVGenHashAlgorithm: String? { parsedMode?.ivgenHash }
    /// QEMU's hash-alg: the hash spec when it is one QEMU knows.
    public var qemuHashAlgorithm: String? {
        let name = hashSpec.string
        return Self.hashNames.contains(name) ? name : nil
    }

    /// Hash names QEMU accepts in a LUKS header (QCryptoHashAlgorithm).
    static let hashNames: Set<String> = ["md5", "sha1", "sha224", "sha256", "sha384", "sha512", "ripemd160"]
}
