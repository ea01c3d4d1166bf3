import Dispatch
import Qcow2
import Synchronization

/// Reads a list of byte ranges, in order, on a second thread a few megabytes ahead of the thread
/// that decodes them: on a warm page cache half of a scan's time is the kernel copying tables
/// into memory (`pread`), and this way that copy runs on another core while the scan decodes the
/// tables read before (issue 15: reads issued ahead of decoding).
///
/// Consecutive ranges are read together into one of ``slotCount`` buffers of about a megabyte
/// (a chunk), and the two threads hand over whole chunks: a 4 KiB-cluster image has tens of
/// thousands of scattered L2 tables, and waking a thread per table would cost more than the copy.
/// Chunks are claimed in order by whichever thread is free: the decoder, rather than wait for the
/// chunk it needs, reads the next unclaimed one itself when its buffer is free (on a warm cache
/// the copy is the longer of the two threads' work: a 4 KiB-cluster image's decoding waited a
/// third of the time for it).
/// The decoding thread calls ``take()`` for each range in order; its bytes stay valid until the
/// next ``take()``. ``finish()`` (always, once: after the last range or to stop early) stops the
/// reader and waits for it. Bytes past the end of the file read as zeros, as ``TableBuffer``
/// reads them. With `masks` the reader also marks the words of each range that are not zero
/// (``EntryMask``), for the decoder to skip empty entries without loading them.
final class TableReader: @unchecked Sendable {
    struct Read {
        var offset: UInt64
        var count: Int
    }

    static let slotCount = 4
    /// Bytes of ranges read together before they are handed over.
    static let chunkBytes = 1 << 20
    private let file: any ByteSource
    private let reads: [Read]
    /// The first range of each chunk, and `reads.count` at the end.
    private let chunkStarts: [Int]
    /// Per range, where it lies in its chunk's buffer.
    private let positions: [Int]
    private let slotBytes: Int
    private let memory: UnsafeMutableRawPointer
    /// Per slot, the ``EntryMask`` words of its buffer (nil: not asked for, or ranges that are
    /// not whole mask words).
    private let masks: UnsafeMutablePointer<UInt64>?
    /// Per range, whether its mask is complete (the reader gives up on mostly used tables).
    private let masked: UnsafeMutablePointer<Bool>
    /// Per range, whether it was read (written by the reader before it signals `ready`).
    private let outcomes: UnsafeMutablePointer<Bool>
    /// Which chunks are claimed, read and consumed (``Progress``); the semaphores wake a thread
    /// that waits for a change of it: `free` the reader when a chunk is consumed, `ready` the
    /// decoder when the reader has read one. Both start at 0 and are signalled up (libdispatch
    /// refuses to free a semaphore below its initial value); a waiter checks the state again.
    private let progress: Mutex<Progress>
    private let free = DispatchSemaphore(value: 0)
    private let ready = DispatchSemaphore(value: 0)

    private struct Progress {
        /// Chunks claimed by a thread (the next one to claim).
        var claimed = 0
        /// Chunks the decoder is done with: chunk `c` may be read into its buffer once `c -
        /// slotCount` is, so `c < consumed + slotCount`.
        var consumed = 0
        var read: [Bool]
    }
    private let finished = DispatchSemaphore(value: 0)
    private let stopped = Atomic<Bool>(false)
    /// Called on the reader thread before range `k` is read (the scan's prefetch announcements).
    private let before: @Sendable (Int) -> Void
    /// The decoder's next range, and the chunk it holds (-1: none yet).
    private var next = 0
    private var held = -1

    /// `largest`: the largest range (none may be larger).
    init(file: any ByteSource, reads: [Read], largest: Int, masks: Bool = false,
         before: @escaping @Sendable (Int) -> Void = { _ in }) {
        self.file = file
        self.reads = reads
        self.before = before
        let slotBytes = max(largest, Self.chunkBytes, 1)
        self.slotBytes = slotBytes
        var starts: [Int] = []
        var positions: [Int] = []
        positions.reserveCapacity(reads.count)
        var used = slotBytes
        for (k, r) in reads.enumerated() {
            let count = min(max(r.count, 0), slotBytes)
            if starts.isEmpty || used + count > slotBytes {
                starts.append(k)
                used = 0
            }
            positions.append(used)
            used += count
        }
        starts.append(reads.count)
        chunkStarts = starts
        progress = Mutex(Progress(read: Array(repeating: false, count: starts.count)))
        self.positions = positions
        memory = ZeroedMemory.allocateRaw(bytes: slotBytes &* Self.slotCount, alignment: 4096)
        outcomes = .allocate(capacity: max(reads.count, 1))
        outcomes.initialize(repeating: false, count: max(reads.count, 1))
        masked = .allocate(capacity: max(reads.count, 1))
        masked.initialize(repeating: false, count: max(reads.count, 1))
        // Each range starts a mask word when every range is whole mask words.
        let perWord = EntryMask.bytesPerWord
        if masks, slotBytes % perWord == 0, reads.allSatisfy({ $0.count > 0 && $0.count % perWord == 0 }) {
            let words = slotBytes / perWord &* Self.slotCount
            self.masks = .allocate(capacity: words)
            self.masks?.initialize(repeating: 0, count: words)
        } else {
            self.masks = nil
        }
    }

    deinit {
        memory.deallocate()
        outcomes.deallocate()
        masked.deallocate()
        masks?.deallocate()
    }

    /// The ``EntryMask`` of the range the last ``take()`` gave (nil without masks or bytes).
    private(set) var mask: UnsafePointer<UInt64>?

    /// Starts reading on a thread of its own: a queue of its own, which libdispatch gives a thread
    /// even when every thread of the global pool is busy (a survey's scans run on that pool, and
    /// each waits for its reader).
    func start() {
        DispatchQueue(label: "qcowscope.table-reader", qos: .userInitiated).async { self.run() }
    }

    private var chunkCount: Int { chunkStarts.count - 1 }

    /// The next chunk to read, claimed, when there is one below `limit`.
    private func claim(below limit: Int) -> Int? {
        progress.withLock { p in
            guard p.claimed < min(limit, chunkCount) else { return nil }
            p.claimed += 1
            return p.claimed - 1
        }
    }

    private func run() {
        defer { finished.signal() }
        while !stopped.load(ordering: .acquiring), let c = claim(below: .max) {
            // Its buffer is free once the chunk `slotCount` before it is consumed.
            while progress.withLock({ $0.consumed }) + Self.slotCount <= c {
                free.wait()
                if stopped.load(ordering: .acquiring) { return }
            }
            read(chunk: c)
            ready.signal()
        }
    }

    /// Reads chunk `c` into its buffer (either thread) and marks it read.
    private func read(chunk c: Int) {
        let base = memory + (c % Self.slotCount) &* slotBytes
        for k in chunkStarts[c]..<chunkStarts[c + 1] {
            before(k)
            let target = UnsafeMutableRawBufferPointer(start: base + positions[k], count: min(max(reads[k].count, 0), slotBytes))
            do {
                try file.readZeroFilled(into: target, at: reads[k].offset)
                if let masks {
                    let words = masks + (c % Self.slotCount) &* (slotBytes / EntryMask.bytesPerWord)
                    masked[k] = EntryMask.fill(words + positions[k] / EntryMask.bytesPerWord, from: UnsafeRawBufferPointer(target))
                }
                outcomes[k] = true
            } catch {
                outcomes[k] = false
            }
        }
        progress.withLock { $0.read[c] = true }
    }

    /// The bytes of the next range (waiting for its chunk), or nil when reading it failed. They
    /// stay valid until the next call.
    func take() -> UnsafeRawBufferPointer? {
        let k = next
        next += 1
        guard k < reads.count else { return nil }
        if held < 0 || k >= chunkStarts[held + 1] {
            if held >= 0 {
                progress.withLock { $0.consumed = held + 1 }
                free.signal()
            }
            held += 1
            let chunk = held
            // Reads the chunks its free buffers can take rather than wait for this one.
            while !progress.withLock({ $0.read[chunk] }) {
                if let c = claim(below: chunk + Self.slotCount) { read(chunk: c) } else { ready.wait() }
            }
        }
        mask = nil
        guard outcomes[k] else { return nil }
        if let masks, masked[k] {
            mask = UnsafePointer(masks + (held % Self.slotCount) &* (slotBytes / EntryMask.bytesPerWord) + positions[k] / EntryMask.bytesPerWord)
        }
        let base = memory + (held % Self.slotCount) &* slotBytes
        return UnsafeRawBufferPointer(start: base + positions[k], count: min(max(reads[k].count, 0), slotBytes))
    }

    /// Stops the reader (after the chunk it is reading) and waits until it has.
    func finish() {
        stopped.store(true, ordering: .releasing)
        for _ in 0..<Self.slotCount { free.signal() }
        finished.wait()
    }
}
