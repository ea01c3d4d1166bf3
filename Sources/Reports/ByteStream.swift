/// Streamed output built in one preallocated byte buffer and handed to `output` in large chunks:
/// reports with millions of records (`layout --json` runs, `map` entries) write them without a
/// `String` per record, without `Array` growth checks per append, and without formatting numbers
/// through the standard library's generic integer printing.
///
/// Every append makes room first (handing the full buffer over), so a piece of any length fits:
/// one longer than the buffer is handed over by itself.
final class ByteStream {
    private let base: UnsafeMutablePointer<UInt8>
    private let capacity: Int
    private var count = 0
    private let output: (UnsafeRawBufferPointer) -> Void

    /// `capacity`: bytes gathered before they are handed over (at least 64).
    init(capacity: Int = 1 << 20, output: @escaping (UnsafeRawBufferPointer) -> Void) {
        self.capacity = max(capacity, 64)
        base = .allocate(capacity: self.capacity)
        self.output = output
    }

    deinit { base.deallocate() }

    /// Bytes gathered and not yet handed over.
    var pending: Int { count }

    /// Hands over what is gathered.
    func flush() {
        guard count > 0 else { return }
        output(UnsafeRawBufferPointer(start: base, count: count))
        count = 0
    }

    /// Appends `n` bytes from `bytes`.
    @inline(__always)
    func append(_ bytes: UnsafePointer<UInt8>, count n: Int) {
        if count &+ n > capacity {
            flush()
            if n > capacity {
                output(UnsafeRawBufferPointer(start: bytes, count: n))
                return
            }
        }
        (base + count).update(from: bytes, count: n)
        count &+= n
    }

    @inline(__always)
    func append(_ s: StaticString) {
        append(s.utf8Start, count: s.utf8CodeUnitCount)
    }

    /// (Not `append(_:)`: a literal would pick the `String` overload over the `StaticString` one.)
    func append(string s: String) {
        var s = s
        s.withUTF8 { append($0.baseAddress ?? UnsafePointer(base), count: $0.count) }
    }

    @inline(__always)
    func append(byte: UInt8) {
        if count == capacity { flush() }
        base[count] = byte
        count &+= 1
    }

    /// Appends `value` in decimal, as `String(value)` writes it: two digits per step.
    @inline(__always)
    func appendDecimal(_ value: UInt64) {
        if value < 10 {
            append(byte: UInt8(truncatingIfNeeded: value) &+ 0x30)
            return
        }
        if count &+ 20 > capacity { flush() }
        var digits = 1
        var bound: UInt64 = 10
        while digits < 20, value >= bound {
            digits &+= 1
            if digits < 20 { bound &*= 10 }
        }
        var v = value
        var at = count &+ digits
        Self.pairs.withUTF8Buffer { pairs in
            while v >= 100 {
                let r = Int(truncatingIfNeeded: v % 100) &* 2
                v /= 100
                at &-= 2
                base[at] = pairs[r]
                base[at &+ 1] = pairs[r &+ 1]
            }
            if v >= 10 {
                let r = Int(truncatingIfNeeded: v) &* 2
                at &-= 2
                base[at] = pairs[r]
                base[at &+ 1] = pairs[r &+ 1]
            } else {
                at &-= 1
                base[at] = UInt8(truncatingIfNeeded: v) &+ 0x30
            }
        }
        count &+= digits
    }

    /// "00" through "99".
    private static let pairs: StaticString = "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"
}
