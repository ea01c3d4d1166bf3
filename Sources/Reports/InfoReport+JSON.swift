import Qcow2

/// `qcowscope info --json`: every key `qemu-img info --output=json` prints, then qcowscope's own
/// keys beside them (never instead): the raw header fields with their offsets, the header
/// extensions, the feature bits, the backing chain and the findings.
extension InfoReport {
    /// The full report as JSON.
    public func json() -> JSONValue {
        guard let image else { return jsonObject(qemuPairs) }
        let header = image.header
        var pairs = qemuPairs
        pairs.append(("header", .object(header.fields.map { field in
            (field.name, jsonObject([("offset", .uint(UInt64(field.offset))), ("size", .uint(UInt64(field.width))),
                                     ("value", .uint(field.value))]))
        })))
        pairs.append(("header-extensions", .array(image.extensions.map { e in
            jsonObject([("offset", .uint(e.offset)), ("type", .uint(UInt64(e.type))), ("name", .string(e.typeName)),
                        ("length", .uint(UInt64(e.data.count)))])
        })))
        pairs.append(("features", .array(image.features.map { f in
            jsonObject([("kind", .string(f.kind.name)), ("bit", .uint(UInt64(f.bit))),
                        ("name", f.name.map(JSONValue.string)), ("known", .bool(f.isKnown))])
        })))
        if !chain.isEmpty {
            pairs.append(("backing-chain", .array(chain.map { c in
                jsonObject([("depth", .uint(UInt64(c.depth))), ("filename", .string(c.filename)), ("format", .string(c.format))])
            })))
        }
        pairs.append(("findings", .array(findings.map(\.json))))
        pairs.append(inUsePair(image.isInUse))
        return jsonObject(pairs)
    }

    /// `--backing-chain --json`: one object per layer, top first, as qemu-img prints the array.
    public static func chainJSON(_ reports: [InfoReport]) -> JSONValue { .array(reports.map { $0.json() }) }

    /// The qemu-img keys only, per layer.
    public static func qemuChainJSON(_ reports: [InfoReport]) -> JSONValue { .array(reports.map { $0.qemuJSON() }) }
}
