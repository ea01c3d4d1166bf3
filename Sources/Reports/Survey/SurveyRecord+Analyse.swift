import Analysis
import Qcow2

extension SurveyRecord {
    /// Opens the image at `rawPath` through `source` (read-only), runs the one scan and builds
    /// the record from the `check`, `info`, `frag` and `snapshots` reports on it; with `guest`,
    /// also reads the guest's filesystems (the `space` report's reclaimable bytes, slower).
    ///
    /// Never throws: an image that cannot be opened or scanned becomes a record with `error` set.
    /// Everything the scan built is dropped when this returns; only the record is kept.
    public static func analyse(_ rawPath: [UInt8], limits: DecodingLimits, guest: Bool,
                               source: ([UInt8]) throws(FormatError) -> any ByteSource) -> SurveyRecord {
        let image: Qcow2Image
        do {
            image = try Qcow2Image(file: try source(rawPath), limits: limits)
        } catch {
            return SurveyRecord(rawPath: rawPath, error: error.description)
        }
        let analysis: ImageAnalysis
        do {
            analysis = try ImageAnalysis.scan(image)
        } catch {
            return SurveyRecord(rawPath: rawPath, error: error.description)
        }
        let name = String(decoding: rawPath, as: UTF8.self)
        let chain = BackingChain.open(top: image)
        // As `frag` measures it: nil when the chain's guest map cannot be built.
        let advice = try? CompactAdvice(map: GuestMap(chain: chain), clusterSize: image.header.clusterSize,
                                        fileSize: image.file.size)
        var reclaimable: UInt64?
        if guest { reclaimable = try? VolumeUsage.read(chain: chain).reclaimableBytes }
        return SurveyRecord(rawPath: rawPath, check: CheckReport(analysis: analysis, filename: name),
                            info: InfoReport(image: image, filename: name, chain: chain),
                            frag: FragReport(analysis: analysis, filename: name, advice: advice), chain: chain,
                            guestReclaimable: reclaimable)
    }
}
