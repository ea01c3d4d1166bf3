/// `--watch [SECONDS]`: the seconds are optional, which ArgumentParser's options cannot say, so a
/// bare `--watch` (last, or followed by something that is not a number) gets the default here,
/// before parsing.
enum WatchArgument {
    static let defaultSeconds = "2"

    static func withDefault(_ arguments: [String]) -> [String] {
        var out: [String] = []
        for (i, a) in arguments.enumerated() {
            out.append(a)
            if a == "--" { return out + arguments[(i + 1)...] }
            guard a == "--watch" else { continue }
            let next = i + 1 < arguments.count ? arguments[i + 1] : nil
            if next.flatMap(Double.init) == nil { out.append(defaultSeconds) }
        }
        return out
    }
}
