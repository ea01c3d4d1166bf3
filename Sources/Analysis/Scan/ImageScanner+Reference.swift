import Qcow2

extension ImageScanner {
    /// QEMU's `qcow2_inc_refcounts_imrt`: counts `times` references to every cluster touched by
    /// `[offset, offset + size)` and records who claims them.
    ///
    /// A region ending one cluster or more past the end of the file is one corruption per
    /// reference and counts nothing (it never grows the map). A refcount that would pass the
    /// width's maximum is one corruption per extra reference (QEMU: "ERROR: overflow cluster").
    @inline(__always)
    mutating func reference(_ offset: UInt64, _ size: UInt64, role: ClusterRole, times: UInt32 = 1,
                            owners: UInt32 = 0, pastEnd kind: Finding.Kind = .beyondEndOfFile,
                            what: @autoclosure () -> String) {
        guard size > 0, times > 0 else { return }
        let (end, overflow) = offset.addingReportingOverflow(size)
        if overflow || (end > fileSize && end - fileSize >= clusterSize) {
            let fileSize = self.fileSize
            counts.corruptions += UInt64(times)
            findings.add(kind, at: offset, clusterBits: clusterBits, count: Int(times),
                         severity: .error, counting: .corruption) {
                "\(what()) at \(hex(offset)) (\(size) bytes) ends one cluster or more past the end of the file (\(hex(fileSize)))"
            }
            return
        }
        let first = Int(clamping: offset >> UInt64(clusterBits))
        let last = Int(clamping: (end - 1) >> UInt64(clusterBits))
        guard last < map.capacity else { return }
        for c in first...last {
            count(c, times: times)
            claim(c, role: role, owners: owners)
        }
    }

    /// Adds `times` to the computed refcount of cluster `c`, saturating at the width's maximum.
    @inline(__always)
    mutating func count(_ c: Int, times: UInt32) {
        let lost = map.add(UInt64(times), at: c)
        if lost > 0 {
            let limit = map.counterMax
            counts.corruptions += lost
            findings.add(.refcountOverflow, at: map.offset(of: c), clusterBits: clusterBits, count: Int(lost),
                         severity: .error, counting: .corruption) {
                "refcount of cluster \(c) would exceed \(limit)"
            }
        }
        if c >= tracked { tracked = c + 1 }
    }

    /// Records that cluster `c` is used as `role` by `owners`; incompatible claims make it a
    /// conflict, reported once.
    @inline(__always)
    mutating func claim(_ c: Int, role: ClusterRole, owners: UInt32) {
        let code = map.codes[c]
        let old = ClusterRole(rawValue: code & ClusterMap.roleMask) ?? .conflict
        if old != role {
            if let merged = ClusterRole.merge(old, role) {
                map.codes[c] = (code & ~ClusterMap.roleMask) | merged.rawValue
            } else {
                map.codes[c] = (code & ~ClusterMap.roleMask) | ClusterRole.conflict.rawValue
                if old != .conflict {
                    findings.add(.overlap, at: map.offset(of: c), clusterBits: clusterBits, severity: .error,
                                 counting: .none) { "cluster \(c) is used as \(old.jsonName) and as \(role.jsonName)" }
                }
            }
        }
        if owners != 0, let ids = map.ownerIDs, ids[c] != owners {
            ids.set(c, sets.union(ids[c], owners))
        }
    }

    /// Notes an active L1 or L2 entry naming cluster `c` with its COPIED flag, for
    /// `check_oflag_copied`: the flag must be set exactly when the stored refcount is 1. The
    /// stored refcount is only known when the refcount blocks are streamed, so the first
    /// reference lives in the cluster's code (``ClusterMap/CopiedNote``) and further ones in
    /// ``copiedTallies``.
    @inline(__always)
    mutating func noteActive(cluster: UInt64, copied: Bool, times: UInt32) {
        guard cluster < UInt64(map.capacity) else {
            if farCopied.count < Self.maxFarCopied {
                farCopied.append(FarCopied(cluster: cluster, copied: copied, count: times))
            }
            return
        }
        let c = Int(cluster)
        let note = map.note(at: c)
        if note == .none && times == 1 {
            map.setNote(copied ? .copied : .notCopied, at: c)
            return
        }
        var tally: CopiedTally
        if note == .counted {
            tally = copiedTallies[c] ?? CopiedTally()
        } else {
            tally = CopiedTally(copied: note == .copied ? 1 : 0, notCopied: note == .notCopied ? 1 : 0)
        }
        if copied { tally.copied &+= times } else { tally.notCopied &+= times }
        copiedTallies[c] = tally
        map.setNote(.counted, at: c)
    }

    /// Counts one corruption (`times` times) and keeps a finding about it.
    mutating func corruption(_ kind: Finding.Kind, at offset: UInt64, times: UInt32 = 1,
                             _ message: @autoclosure () -> String) {
        counts.corruptions += UInt64(times)
        findings.add(kind, at: offset, clusterBits: clusterBits, count: Int(times), severity: .error,
                     counting: .corruption, message)
    }

    /// Keeps a finding that `qemu-img check` does not count.
    mutating func note(_ kind: Finding.Kind, at offset: UInt64, severity: Finding.Severity = .warning,
                       structure: Structure? = nil, _ message: @autoclosure () -> String) {
        findings.add(kind, at: offset, clusterBits: clusterBits, severity: severity, counting: .none,
                     structure: structure, message)
    }

    /// Counts a check error (something QEMU could not read) and keeps a finding about it.
    mutating func checkError(_ kind: Finding.Kind, at offset: UInt64, count n: Int = 1,
                             _ message: @autoclosure () -> String) {
        counts.checkErrors += UInt64(n)
        findings.add(kind, at: offset, clusterBits: clusterBits, count: n, severity: .error,
                     counting: .checkError, message)
    }
}
