// The L-BFGS-B 3.0 subroutines, ported from scipy's C translation
// (`scipy/optimize/src/lbfgsb.c`, itself from the Fortran of Zhu, Byrd, Lu and
// Nocedal with the Morales–Nocedal 2011 subspace remark). Indices follow the C
// code (0-based, column-major work arrays: `ws[i + n*j]`, `sy[i + m*j]`,
// `wn[i + 2m*j]`) so the port can be read against it line by line. The
// reverse-communication `task` protocol of `setulb`/`mainlb` is kept as a small
// state machine: `start()`/`resume()` return whether the driver must evaluate
// f and g at `x`, report a new iterate, or stop.

/// The mutable work space and control state of one L-BFGS-B run (`setulb`'s
/// `wa`, `iwa`, `isave`, `dsave`, `lsave`). A reference type only so the
/// work arrays can be manipulated through stable pointers, as the C code does;
/// it never escapes `LBFGSB.minimize`.
final class LBFGSBCore {
    static let epsmach = 2.220_446_049_250_313e-16

    enum Request {
        case evaluate
        case newX
        case done
    }

    private enum Entry {
        case afterStartFG
        case afterLineSearchFG
        case afterNewX
        case finished
    }

    private enum SearchTask {
        case start
        case fg
        case convergence
        case warning
        case error
    }

    let n: Int
    let m: Int
    let factr: Double
    let pgtol: Double
    let maxls: Int

    // Problem arrays.
    let x: UnsafeMutablePointer<Double>
    let l: UnsafeMutablePointer<Double>
    let u: UnsafeMutablePointer<Double>
    let g: UnsafeMutablePointer<Double>
    let nbd: UnsafeMutablePointer<Int>
    var f: Double = 0

    // Work arrays (`wa` partition of `setulb`).
    private let ws: UnsafeMutablePointer<Double>
    private let wy: UnsafeMutablePointer<Double>
    private let sy: UnsafeMutablePointer<Double>
    private let ss: UnsafeMutablePointer<Double>
    private let wt: UnsafeMutablePointer<Double>
    private let wn: UnsafeMutablePointer<Double>
    private let snd: UnsafeMutablePointer<Double>
    private let z: UnsafeMutablePointer<Double>
    private let r: UnsafeMutablePointer<Double>
    private let d: UnsafeMutablePointer<Double>
    private let t: UnsafeMutablePointer<Double>
    private let xp: UnsafeMutablePointer<Double>
    private let wa: UnsafeMutablePointer<Double>
    private let index: UnsafeMutablePointer<Int>
    private let iwhere: UnsafeMutablePointer<Int>
    private let indx2: UnsafeMutablePointer<Int>

    // mainlb's saved locals.
    private var prjctd = false
    private var cnstnd = false
    private var boxed = false
    private var updatd = false
    private var wrk = false
    private var nintol = 0
    private var iback = 0
    private var nskip = 0
    private var head = 0
    private var col = 0
    private var iter = 0
    private var itail = 0
    private var iupdat = 0
    private var nseg = 0
    private var nfgv = 0
    private var info = 0
    private var ifun = 0
    private var iword = 0
    private var nfree = 0
    private var nact = 0
    private var ileave = 0
    private var nenter = 0
    private var theta = 1.0
    private var fold = 0.0
    private var tol = 0.0
    private var xstep = 0.0
    private var sbgnrm = 0.0
    private var stpmx = 0.0
    private var dnorm = 0.0
    private var dtd = 0.0
    private var gd = 0.0
    private var gdold = 0.0
    private var stp = 0.0

    // lnsrlb / dcsrch state (`task_msg == FG_LNSRCH`, `ln_task`, isave/dsave).
    private var lineSearchInProgress = false
    private var lineSearchWantsFG = false
    private var searchTask = SearchTask.start
    private var brackt = false
    private var stage = 1
    private var ginit = 0.0
    private var gtest = 0.0
    private var gx = 0.0
    private var gy = 0.0
    private var finit = 0.0
    private var fx = 0.0
    private var fy = 0.0
    private var stx = 0.0
    private var sty = 0.0
    private var stmin = 0.0
    private var stmax = 0.0
    private var width = 0.0
    private var width1 = 0.0

    private var pending = Entry.afterStartFG
    private(set) var converged = false
    private(set) var message = ""

    init(
        n: Int, m: Int, x x0: [Double], l l0: [Double], u u0: [Double], nbd nbd0: [Int], factr: Double,
        pgtol: Double, maxls: Int
    ) {
        self.n = n
        self.m = m
        self.factr = factr
        self.pgtol = pgtol
        self.maxls = maxls
        func doubles(_ count: Int) -> UnsafeMutablePointer<Double> {
            let p = UnsafeMutablePointer<Double>.allocate(capacity: Swift.max(count, 1))
            p.initialize(repeating: 0, count: Swift.max(count, 1))
            return p
        }
        func ints(_ count: Int) -> UnsafeMutablePointer<Int> {
            let p = UnsafeMutablePointer<Int>.allocate(capacity: Swift.max(count, 1))
            p.initialize(repeating: 0, count: Swift.max(count, 1))
            return p
        }
        x = doubles(n)
        l = doubles(n)
        u = doubles(n)
        g = doubles(n)
        nbd = ints(n)
        for i in 0..<n {
            x[i] = x0[i]
            l[i] = l0[i]
            u[i] = u0[i]
            nbd[i] = nbd0[i]
        }
        ws = doubles(m * n)
        wy = doubles(m * n)
        sy = doubles(m * m)
        ss = doubles(m * m)
        wt = doubles(m * m)
        wn = doubles(4 * m * m)
        snd = doubles(4 * m * m)
        z = doubles(n)
        r = doubles(n)
        d = doubles(n)
        t = doubles(n)
        xp = doubles(n)
        wa = doubles(8 * m)
        index = ints(n)
        iwhere = ints(n)
        indx2 = ints(n)
    }

    deinit {
        for p in [x, l, u, g, ws, wy, sy, ss, wt, wn, snd, z, r, d, t, xp, wa] { p.deallocate() }
        for p in [nbd, index, iwhere, indx2] { p.deallocate() }
    }

    func currentX() -> [Double] { Array(UnsafeBufferPointer(start: x, count: n)) }
    func currentG() -> [Double] { Array(UnsafeBufferPointer(start: g, count: n)) }

    func setFG(f: Double, g values: [Double]) {
        self.f = f
        for i in 0..<n { g[i] = values[i] }
    }

    /// The driver stops the run after a `NEW_X` (maxiter/maxfun).
    func stop(message: String) {
        self.message = message
        converged = false
        pending = .finished
    }

    // MARK: - mainlb

    /// `mainlb` with `task = START`: initialize, project x0, ask for f0, g0.
    func start() -> Request {
        col = 0
        head = 0
        theta = 1.0
        iupdat = 0
        updatd = false
        iback = 0
        itail = 0
        iword = 0
        nact = 0
        ileave = 0
        nenter = 0
        fold = 0
        dnorm = 0
        gd = 0
        sbgnrm = 0
        stp = 0
        gdold = 0
        dtd = 0
        iter = 0
        nfgv = 0
        nseg = 0
        nintol = 0
        nskip = 0
        nfree = n
        ifun = 0
        tol = factr * Self.epsmach
        info = 0
        active()
        pending = .afterStartFG
        return .evaluate
    }

    /// `mainlb` re-entered after the driver served the last request.
    func resume() -> Request {
        switch pending {
        case .finished:
            return .done
        case .afterStartFG:
            nfgv = 1
            projgr()
            if sbgnrm <= pgtol {
                return finish(converged: true, "CONVERGENCE: NORM OF PROJECTED GRADIENT <= PGTOL")
            }
            return iterate(resumeLineSearch: false)
        case .afterLineSearchFG:
            return iterate(resumeLineSearch: true)
        case .afterNewX:
            // LINE777: test for termination.
            if sbgnrm <= pgtol {
                return finish(converged: true, "CONVERGENCE: NORM OF PROJECTED GRADIENT <= PGTOL")
            }
            var ddum = Swift.max(Swift.max(abs(fold), abs(f)), 1.0)
            if (fold - f) <= tol * ddum {
                if iback >= 10 { info = -5 }
                return finish(converged: true, "CONVERGENCE: RELATIVE REDUCTION OF F <= FACTR*EPSMCH")
            }
            // Compute d=newx-oldx, r=newg-oldg, rr=y'y and dr=y's.
            for i in 0..<n { r[i] = g[i] - r[i] }
            let nr = nrm2(n, r)
            let rr = nr * nr
            let dr: Double
            if stp == 1.0 {
                dr = gd - gdold
                ddum = -gdold
            } else {
                dr = (gd - gdold) * stp
                for i in 0..<n { d[i] *= stp }
                ddum = -gdold * stp
            }
            if dr <= Self.epsmach * ddum {
                // Skip the L-BFGS update.
                nskip += 1
                updatd = false
            } else {
                updatd = true
                iupdat += 1
                matupd(rr: rr, dr: dr)
                formt()
                if info != 0 {
                    info = 0
                    resetMemory()
                }
            }
            return iterate(resumeLineSearch: false)
        }
    }

    private func finish(converged: Bool, _ message: String) -> Request {
        self.converged = converged
        self.message = message
        pending = .finished
        return .done
    }

    private func resetMemory() {
        col = 0
        head = 0
        theta = 1.0
        iupdat = 0
        updatd = false
    }

    /// The body of mainlb's loop, from label 222 (or 666 when a line search
    /// is in progress) to the next request.
    private func iterate(resumeLineSearch: Bool) -> Request {
        var skipToLineSearch = resumeLineSearch
        while true {
            if !skipToLineSearch {
                // LINE222
                iword = -1
                if !cnstnd && col > 0 {
                    for i in 0..<n { z[i] = x[i] }
                    wrk = updatd
                    nseg = 0
                } else {
                    // Compute the Generalized Cauchy Point (GCP).
                    cauchy()
                    if info != 0 {
                        // Singular triangular system detected; refresh the lbfgs memory.
                        info = 0
                        resetMemory()
                        continue
                    }
                    nintol += nseg
                    freev()
                    nact = n - nfree
                }
                // LINE333
                if nfree != 0 && col != 0 {
                    if wrk { formk() }
                    if info != 0 {
                        info = 0
                        resetMemory()
                        continue
                    }
                    cmprlb()
                    if info == 0 { subsm() }
                    if info != 0 {
                        info = 0
                        resetMemory()
                        continue
                    }
                }
                // LINE555: search direction d := z - x.
                for i in 0..<n { d[i] = z[i] - x[i] }
                lineSearchInProgress = false
            }
            skipToLineSearch = false
            // LINE666
            lnsrlb()
            if info != 0 || iback >= maxls {
                for i in 0..<n {
                    x[i] = t[i]
                    g[i] = r[i]
                }
                f = fold
                lineSearchInProgress = false
                if col == 0 {
                    // Abnormal termination.
                    if info == 0 {
                        info = -9
                        nfgv -= 1
                        ifun -= 1
                        iback -= 1
                    }
                    iter += 1
                    return finish(converged: false, "ABNORMAL: ")
                } else {
                    // Refresh the lbfgs memory and restart the iteration.
                    if info == 0 { nfgv -= 1 }
                    info = 0
                    resetMemory()
                    continue
                }
            } else if lineSearchWantsFG {
                pending = .afterLineSearchFG
                return .evaluate
            } else {
                iter += 1
                projgr()
                pending = .afterNewX
                return .newX
            }
        }
    }

    // MARK: - active, projgr

    /// `active`: initialize iwhere and project x onto the feasible set.
    private func active() {
        prjctd = false
        cnstnd = false
        boxed = true
        for i in 0..<n where nbd[i] > 0 {
            if nbd[i] <= 2 && x[i] <= l[i] {
                if x[i] < l[i] {
                    prjctd = true
                    x[i] = l[i]
                }
            } else if nbd[i] >= 2 && x[i] >= u[i] {
                if x[i] > u[i] {
                    prjctd = true
                    x[i] = u[i]
                }
            }
        }
        for i in 0..<n {
            if nbd[i] != 2 { boxed = false }
            if nbd[i] == 0 {
                iwhere[i] = -1
            } else {
                cnstnd = true
                if nbd[i] == 2 && u[i] - l[i] <= 0.0 {
                    iwhere[i] = 3
                } else {
                    iwhere[i] = 0
                }
            }
        }
    }

    /// `projgr`: infinity norm of the projected gradient.
    private func projgr() {
        sbgnrm = 0.0
        for i in 0..<n {
            var gi = g[i]
            if gi.isNaN {
                sbgnrm = gi
                return
            }
            if nbd[i] != 0 {
                if gi < 0.0 {
                    if nbd[i] >= 2 { gi = fmax(x[i] - u[i], gi) }
                } else {
                    if nbd[i] <= 2 { gi = fmin(x[i] - l[i], gi) }
                }
            }
            sbgnrm = fmax(sbgnrm, abs(gi))
        }
    }

    // MARK: - bmv

    /// `bmv`: product of the 2col x 2col middle matrix with `v`, into `p`.
    private func bmv(_ v: UnsafeMutablePointer<Double>, _ p: UnsafeMutablePointer<Double>) -> Int {
        if col == 0 { return 0 }
        // PART I: solve [  D^(1/2)      O ] [ p1 ] = [ v1 ]
        //               [ -L*D^(-1/2)   J ] [ p2 ]   [ v2 ].
        p[col] = v[col]
        if col > 1 {
            for i in 1..<col {
                let i2 = col + i
                var ssum = 0.0
                for k in 0..<i {
                    ssum = ssum + sy[i + m * k] * v[k] / sy[k + m * k]
                }
                p[i2] = v[i2] + ssum
            }
        }
        var inf = LBFGSBBlas.trtrsUpper(transpose: true, n: col, nrhs: 1, a: wt, lda: m, b: p + col, ldb: col)
        if inf != 0 { return inf }
        for i in 0..<col {
            p[i] = v[i] / sy[i + m * i].squareRoot()
        }
        // PART II
        inf = LBFGSBBlas.trtrsUpper(transpose: false, n: col, nrhs: 1, a: wt, lda: m, b: p + col, ldb: col)
        if inf != 0 { return inf }
        for i in 0..<col {
            p[i] = -p[i] / sy[i + m * i].squareRoot()
        }
        for i in 0..<col {
            var ssum = 0.0
            var k = i + 1
            while k < col {
                ssum = ssum + sy[k + m * i] * p[col + k] / sy[i + m * i]
                k += 1
            }
            p[i] = p[i] + ssum
        }
        return 0
    }

    // MARK: - cauchy

    /// `cauchy`: the generalized Cauchy point, into `z` (xcp).
    private func cauchy() {
        let iorder = indx2
        let xcp = z
        let p = wa
        let c = wa + 2 * m
        let wbp = wa + 4 * m
        let v = wa + 6 * m

        if sbgnrm <= 0.0 {
            for i in 0..<n { xcp[i] = x[i] }
            return
        }
        let col2 = 2 * col

        for i in 0..<col2 { p[i] = 0.0 }

        let bp = cauchyBreakpoints(p)
        var f1 = bp.f1
        let (bnded, nfreeLocal, nbreak, ibkmin, bkmin) = (bp.bnded, bp.nfree, bp.nbreak, bp.ibkmin, bp.bkmin)

        if theta != 1.0 {
            for j in 0..<col { p[col + j] *= theta }
        }
        for i in 0..<n { xcp[i] = x[i] }
        if nbreak == -1 && nfreeLocal == n {
            return
        }
        for j in 0..<col2 { c[j] = 0.0 }

        var f2 = -theta * f1
        let f2Org = f2
        if col > 0 {
            info = bmv(p, v)
            if info != 0 { return }
            f2 = f2 - LBFGSBBlas.dot(col2, v, p)
        }
        var dtm = -f1 / f2
        var tsum = 0.0
        nseg = 1

        var jumpTo999 = false
        if nbreak != -1 {
            var nleft = nbreak
            var iterc = 0
            var tj = 0.0
            while true {
                let tj0 = tj
                let ibp: Int
                if iterc == 0 {
                    tj = bkmin
                    ibp = iorder[ibkmin]
                } else {
                    if iterc == 1 {
                        if ibkmin != nbreak {
                            t[ibkmin] = t[nbreak]
                            iorder[ibkmin] = iorder[nbreak]
                        }
                    }
                    hpsolb(nleft, t, iorder, iterc - 1)
                    tj = t[nleft]
                    ibp = iorder[nleft]
                }
                let dt = tj - tj0

                if dtm < dt { break }

                tsum = tsum + dt
                nleft -= 1
                iterc += 1
                var dibp = d[ibp]
                d[ibp] = 0.0
                let zibp: Double
                if dibp > 0.0 {
                    zibp = u[ibp] - x[ibp]
                    xcp[ibp] = u[ibp]
                    iwhere[ibp] = 2
                } else {
                    zibp = l[ibp] - x[ibp]
                    xcp[ibp] = l[ibp]
                    iwhere[ibp] = 1
                }
                if nleft == -1 && nbreak == n {
                    dtm = dt
                    jumpTo999 = true
                    break
                }
                nseg += 1
                let dibp2 = dibp * dibp
                f1 = f1 + dt * f2 + dibp2 - theta * dibp * zibp
                f2 = f2 - theta * dibp2
                if col > 0 {
                    for j in 0..<col2 { c[j] += dt * p[j] }
                    var pointr = head
                    for j in 0..<col {
                        wbp[j] = wy[ibp + n * pointr]
                        wbp[col + j] = theta * ws[ibp + n * pointr]
                        pointr = (pointr + 1) % m
                    }
                    info = bmv(wbp, v)
                    if info != 0 { return }
                    let wmc = LBFGSBBlas.dot(col2, c, v)
                    let wmp = LBFGSBBlas.dot(col2, p, v)
                    let wmw = LBFGSBBlas.dot(col2, wbp, v)
                    dibp = -dibp
                    for j in 0..<col2 { p[j] += dibp * wbp[j] }
                    dibp = -dibp
                    f1 = f1 + dibp * wmc
                    f2 = f2 + dibp * 2.0 * wmp - dibp2 * wmw
                }
                f2 = fmax(Self.epsmach * f2Org, f2)
                if nleft >= 0 {
                    dtm = -f1 / f2
                } else if bnded {
                    dtm = 0.0
                    break
                } else {
                    dtm = -f1 / f2
                    break
                }
            }
        }
        if !jumpTo999 {
            // LINE888
            if dtm <= 0.0 { dtm = 0.0 }
            tsum = tsum + dtm
            for i in 0..<n { xcp[i] += tsum * d[i] }
        }
        // LINE999
        if col > 0 {
            for j in 0..<col2 { c[j] += dtm * p[j] }
        }
    }

    /// What `cauchy`'s first pass leaves in its locals.
    private struct Breakpoints {
        var f1 = 0.0
        var bnded = true
        var nfree: Int
        var nbreak = -1
        var ibkmin = 0
        var bkmin = 0.0
    }

    /// `cauchy`'s first pass over the variables: resets `iwhere` where a
    /// variable's status changed, and computes the Cauchy direction `d`, the
    /// breakpoints `t` (variables in `iorder`: breakpoints first, free ones
    /// from the end), the derivative `f1` and `p = W'd`.
    private func cauchyBreakpoints(_ p: UnsafeMutablePointer<Double>) -> Breakpoints {
        let iorder = indx2
        var b = Breakpoints(nfree: n)
        var tl = 0.0
        var tu = 0.0
        for i in 0..<n {
            let neggi = -g[i]
            if iwhere[i] != 3 && iwhere[i] != -1 {
                if nbd[i] <= 2 { tl = x[i] - l[i] }
                if nbd[i] >= 2 { tu = u[i] - x[i] }
                let xlower = nbd[i] <= 2 && tl <= 0.0
                let xupper = nbd[i] >= 2 && tu <= 0.0
                iwhere[i] = 0
                if xlower {
                    if neggi <= 0.0 { iwhere[i] = 1 }
                } else if xupper {
                    if neggi >= 0.0 { iwhere[i] = 2 }
                } else {
                    if abs(neggi) <= 0.0 { iwhere[i] = -3 }
                }
            }
            var pointr = head
            if iwhere[i] != 0 && iwhere[i] != -1 {
                d[i] = 0.0
            } else {
                d[i] = neggi
                b.f1 = b.f1 - neggi * neggi
                for j in 0..<col {
                    p[j] = p[j] + wy[i + n * pointr] * neggi
                    p[col + j] = p[col + j] + ws[i + n * pointr] * neggi
                    pointr = (pointr + 1) % m
                }
                if nbd[i] <= 2 && nbd[i] != 0 && neggi < 0.0 {
                    b.nbreak += 1
                    iorder[b.nbreak] = i
                    t[b.nbreak] = tl / (-neggi)
                    if b.nbreak == 0 || t[b.nbreak] < b.bkmin {
                        b.bkmin = t[b.nbreak]
                        b.ibkmin = b.nbreak
                    }
                } else if nbd[i] >= 2 && neggi > 0.0 {
                    b.nbreak += 1
                    iorder[b.nbreak] = i
                    t[b.nbreak] = tu / neggi
                    if b.nbreak == 0 || t[b.nbreak] < b.bkmin {
                        b.bkmin = t[b.nbreak]
                        b.ibkmin = b.nbreak
                    }
                } else {
                    b.nfree -= 1
                    iorder[b.nfree] = i
                    if abs(neggi) > 0.0 { b.bnded = false }
                }
            }
        }
        return b
    }

    /// `hpsolb`: heap-sort step on t[0...nIndex] (the C code's `n`).
    private func hpsolb(
        _ nIndex: Int, _ t: UnsafeMutablePointer<Double>, _ iorder: UnsafeMutablePointer<Int>,
        _ iheap: Int
    ) {
        if iheap == 0 {
            var k = 2
            while k <= nIndex + 1 {
                let ddum = t[k - 1]
                let indxin = iorder[k - 1]
                var i = k
                while i > 1 {
                    let j = i / 2
                    if ddum < t[j - 1] {
                        t[i - 1] = t[j - 1]
                        iorder[i - 1] = iorder[j - 1]
                        i = j
                    } else {
                        break
                    }
                }
                t[i - 1] = ddum
                iorder[i - 1] = indxin
                k += 1
            }
        }
        if nIndex > 0 {
            var i = 1
            let out = t[0]
            let indxout = iorder[0]
            let ddum = t[nIndex]
            let indxin = iorder[nIndex]
            while true {
                var j = i + i
                if j <= nIndex {
                    if t[j] < t[j - 1] { j += 1 }
                    if t[j - 1] < ddum {
                        t[i - 1] = t[j - 1]
                        iorder[i - 1] = iorder[j - 1]
                        i = j
                    } else {
                        break
                    }
                } else {
                    break
                }
            }
            t[i - 1] = ddum
            iorder[i - 1] = indxin
            t[nIndex] = out
            iorder[nIndex] = indxout
        }
    }

    // MARK: - freev

    /// `freev`: entering/leaving variables and the free set at the GCP.
    private func freev() {
        nenter = 0
        ileave = n
        if iter > 0 && cnstnd {
            for i in 0..<nfree {
                let k = index[i]
                if iwhere[k] > 0 {
                    ileave -= 1
                    indx2[ileave] = k
                }
            }
            var i = nfree
            while i < n {
                let k = index[i]
                if iwhere[k] <= 0 {
                    indx2[nenter] = k
                    nenter += 1
                }
                i += 1
            }
        }
        wrk = (ileave < n) || (nenter > 0) || updatd
        nfree = 0
        var iact = n
        for i in 0..<n {
            if iwhere[i] <= 0 {
                index[nfree] = i
                nfree += 1
            } else {
                iact -= 1
                index[iact] = i
            }
        }
    }

    // MARK: - formk

    /// `formk`: the LEL^T factorization of the subspace matrix K, in `wn`.
    private func formk() {
        let upcl: Int
        if updatd {
            if iupdat > m { formkShift() }
            formkNewRows()
            upcl = col - 1
        } else {
            upcl = col
        }
        formkFreeSetChanges(upcl)
        formkAssemble()
        formkFactor()
    }

    /// `formk`, when the memory is full: shifts the old part of WN1.
    private func formkShift() {
        let wn1 = snd
        let m2 = 2 * m
        // Shift old part of WN1.
        for jy in 0..<(m - 1) {
            let js = m + jy
            let cnt = m - (jy + 1)
            copy(cnt, from: wn1 + ((jy + 1) + m2 * (jy + 1)), to: wn1 + (jy + m2 * jy))
            copy(cnt, from: wn1 + ((js + 1) + m2 * (js + 1)), to: wn1 + (js + m2 * js))
            copy(m - 1, from: wn1 + ((m + 1) + m2 * (jy + 1)), to: wn1 + (m + m2 * jy))
        }
    }

    /// `formk`, after an update: the new rows of blocks (1,1), (2,1) and
    /// (2,2) of WN1 and its new column in block (2,1).
    private func formkNewRows() {
        let nsub = nfree
        let ind = index
        let wn1 = snd
        let m2 = 2 * m
        // Put new rows in blocks (1,1), (2,1) and (2,2).
        let pbegin = 0
        let pend = nsub
        let dbegin = nsub
        let dend = n
        let iy = col - 1
        let isv = m + col - 1
        var ipntr = head + col - 1
        if ipntr >= m { ipntr -= m }
        var jpntr = head
        for jy in 0..<col {
            let js = m + jy
            var temp1 = 0.0
            var temp2 = 0.0
            var temp3 = 0.0
            for k in pbegin..<pend {
                let k1 = ind[k]
                temp1 = temp1 + wy[k1 + n * ipntr] * wy[k1 + n * jpntr]
            }
            if dbegin < dend {
                for k in dbegin..<dend {
                    let k1 = ind[k]
                    temp2 = temp2 + ws[k1 + n * ipntr] * ws[k1 + n * jpntr]
                    temp3 = temp3 + ws[k1 + n * ipntr] * wy[k1 + n * jpntr]
                }
            }
            wn1[iy + m2 * jy] = temp1
            wn1[isv + m2 * js] = temp2
            wn1[isv + m2 * jy] = temp3
            jpntr = (jpntr + 1) % m
        }
        // Put new column in block (2,1).
        let jy = col - 1
        jpntr = head + col - 1
        if jpntr >= m { jpntr -= m }
        ipntr = head
        for i in 0..<col {
            let isi = m + i
            var temp3 = 0.0
            for k in pbegin..<pend {
                let k1 = ind[k]
                temp3 = temp3 + ws[k1 + n * ipntr] * wy[k1 + n * jpntr]
            }
            ipntr = (ipntr + 1) % m
            wn1[isi + m2 * jy] = temp3
        }
    }

    /// `formk`: the old parts of WN1 modified for the variables that entered
    /// or left the free set (blocks (1,1) and (2,2), then (2,1)).
    private func formkFreeSetChanges(_ upcl: Int) {
        let wn1 = snd
        let m2 = 2 * m
        // Modify the old parts in blocks (1,1) and (2,2) due to changes in the
        // set of free variables.
        var ipntr = head
        for iy in 0..<Swift.max(upcl, 0) {
            let isv = m + iy
            var jpntr = head
            for jy in 0...iy {
                let js = m + jy
                var temp1 = 0.0
                var temp2 = 0.0
                var temp3 = 0.0
                var temp4 = 0.0
                for k in 0..<nenter {
                    let k1 = indx2[k]
                    temp1 = temp1 + wy[k1 + n * ipntr] * wy[k1 + n * jpntr]
                    temp2 = temp2 + ws[k1 + n * ipntr] * ws[k1 + n * jpntr]
                }
                var k = ileave
                while k < n {
                    let k1 = indx2[k]
                    temp3 = temp3 + wy[k1 + n * ipntr] * wy[k1 + n * jpntr]
                    temp4 = temp4 + ws[k1 + n * ipntr] * ws[k1 + n * jpntr]
                    k += 1
                }
                wn1[iy + m2 * jy] = wn1[iy + m2 * jy] + temp1 - temp3
                wn1[isv + m2 * js] = wn1[isv + m2 * js] - temp2 + temp4
                jpntr = (jpntr + 1) % m
            }
            ipntr = (ipntr + 1) % m
        }

        // Modify the old parts in block (2,1).
        ipntr = head
        var isv = m
        while isv < m + upcl {
            var jpntr = head
            for jy in 0..<upcl {
                var temp1 = 0.0
                var temp3 = 0.0
                for k in 0..<nenter {
                    let k1 = indx2[k]
                    temp1 = temp1 + ws[k1 + n * ipntr] * wy[k1 + n * jpntr]
                }
                var k = ileave
                while k < n {
                    let k1 = indx2[k]
                    temp3 = temp3 + ws[k1 + n * ipntr] * wy[k1 + n * jpntr]
                    k += 1
                }
                if isv <= jy + m {
                    wn1[isv + m2 * jy] = wn1[isv + m2 * jy] + temp1 - temp3
                } else {
                    wn1[isv + m2 * jy] = wn1[isv + m2 * jy] - temp1 + temp3
                }
                jpntr = (jpntr + 1) % m
            }
            ipntr = (ipntr + 1) % m
            isv += 1
        }
    }

    /// `formk`: the upper triangle of WN from WN1.
    private func formkAssemble() {
        let wn1 = snd
        let m2 = 2 * m
        // Form the upper triangle of WN = [D+Y' ZZ'Y/theta   -L_a'+R_z' ]
        //                                 [-L_a +R_z        S'AA'S*theta]
        for iy in 0..<col {
            let isi = col + iy
            let is1 = m + iy
            for jy in 0...iy {
                let js = col + jy
                let js1 = m + jy
                wn[jy + m2 * iy] = wn1[iy + m2 * jy] / theta
                wn[js + m2 * isi] = wn1[is1 + m2 * js1] * theta
            }
            for jy in 0..<iy {
                wn[jy + m2 * isi] = -wn1[is1 + m2 * jy]
            }
            for jy in iy..<col {
                wn[jy + m2 * isi] = wn1[is1 + m2 * jy]
            }
            wn[iy + m2 * iy] = wn[iy + m2 * iy] + sy[iy + m * iy]
        }
    }

    /// `formk`: the Cholesky factorizations of WN (info −1 or −2 when one fails).
    private func formkFactor() {
        let m2 = 2 * m
        // First Cholesky factor (1,1) block of wn to get LL'.
        info = LBFGSBBlas.potrfUpper(n: col, a: wn, lda: m2)
        if info != 0 {
            info = -1
            return
        }
        let col2 = 2 * col
        // Then form L^-1(-L_a'+R_z') in the (1,2) block.
        _ = LBFGSBBlas.trtrsUpper(transpose: true, n: col, nrhs: col, a: wn, lda: m2, b: wn + m2 * col, ldb: m2)
        // Form S'AA'S*theta + (L^-1(-L_a'+R_z'))'L^-1(-L_a'+R_z') in the upper
        // triangle of (2,2) block of wn.
        var isx = col
        while isx < col2 {
            var js = isx
            while js < col2 {
                wn[isx + m2 * js] = wn[isx + m2 * js] + LBFGSBBlas.dot(col, wn + m2 * isx, wn + m2 * js)
                js += 1
            }
            isx += 1
        }
        info = LBFGSBBlas.potrfUpper(n: col, a: wn + (col + m2 * col), lda: m2)
        if info != 0 { info = -2 }
    }

    // MARK: - formt

    /// `formt`: T = theta*SS + L*D^(-1)*L', Cholesky-factored in `wt`.
    private func formt() {
        for j in 0..<col {
            wt[m * j] = theta * ss[m * j]
        }
        if col > 1 {
            for i in 1..<col {
                for j in i..<col {
                    let k1 = Swift.min(i, j)
                    var ddum = 0.0
                    for k in 0..<k1 {
                        ddum = ddum + ((sy[i + m * k] * sy[j + m * k]) / sy[k + m * k])
                    }
                    wt[i + m * j] = ddum + theta * ss[i + m * j]
                }
            }
        }
        info = LBFGSBBlas.potrfUpper(n: col, a: wt, lda: m)
        if info != 0 { info = -3 }
    }

    // MARK: - cmprlb

    /// `cmprlb`: r = -Z'B(xcp - xk) - Z'g, using W'(xcp - x) from `cauchy`.
    private func cmprlb() {
        if !cnstnd && col > 0 {
            for i in 0..<n { r[i] = -g[i] }
        } else {
            for i in 0..<nfree {
                let k = index[i]
                r[i] = -theta * (z[k] - x[k]) - g[k]
            }
            info = bmv(wa + 2 * m, wa)
            if info != 0 {
                info = -8
                return
            }
            var pointr = head
            for j in 0..<col {
                let a1 = wa[j]
                let a2 = theta * wa[col + j]
                for i in 0..<nfree {
                    let k = index[i]
                    r[i] = r[i] + wy[k + n * pointr] * a1 + ws[k + n * pointr] * a2
                }
                pointr = (pointr + 1) % m
            }
        }
    }

    // MARK: - subsm

    /// `subsm`: subspace Newton step with the projection safeguard; `z` holds
    /// xcp on entry and the subspace minimizer on exit; `r` is the reduced
    /// gradient on entry and the Newton direction on exit.
    private func subsm() {
        let nsub = nfree
        let ind = index
        let xs = z
        let dd = r
        let wv = wa
        if nsub <= 0 { return }

        var pointr = head
        for i in 0..<col {
            var temp1 = 0.0
            var temp2 = 0.0
            for j in 0..<nsub {
                let k = ind[j]
                temp1 += wy[k + n * pointr] * dd[j]
                temp2 += ws[k + n * pointr] * dd[j]
            }
            wv[i] = temp1
            wv[col + i] = theta * temp2
            pointr = (pointr + 1) % m
        }

        let m2 = 2 * m
        let col2 = 2 * col
        info = LBFGSBBlas.trtrsUpper(transpose: true, n: col2, nrhs: 1, a: wn, lda: m2, b: wv, ldb: m2)
        if info != 0 { return }
        for i in 0..<col { wv[i] = -wv[i] }
        info = LBFGSBBlas.trtrsUpper(transpose: false, n: col2, nrhs: 1, a: wn, lda: m2, b: wv, ldb: m2)
        if info != 0 { return }

        pointr = head
        for jy in 0..<col {
            let js = col + jy
            for i in 0..<nsub {
                let k = ind[i]
                dd[i] = dd[i] + (wy[k + n * pointr] * wv[jy] / theta) + (ws[k + n * pointr] * wv[js])
            }
            pointr = (pointr + 1) % m
        }
        let temp = 1.0 / theta
        for i in 0..<nsub { dd[i] *= temp }

        // Let us try the projection, d is the Newton direction.
        iword = 0
        for i in 0..<n { xp[i] = xs[i] }
        for i in 0..<nsub {
            let k = ind[i]
            let dk = dd[i]
            var xk = xs[k]
            if nbd[k] != 0 {
                if nbd[k] == 1 {
                    xs[k] = fmax(l[k], xk + dk)
                    if xs[k] == l[k] { iword = 1 }
                } else if nbd[k] == 2 {
                    xk = fmax(l[k], xk + dk)
                    xs[k] = fmin(u[k], xk)
                    if xs[k] == l[k] || xs[k] == u[k] { iword = 1 }
                } else if nbd[k] == 3 {
                    xs[k] = fmin(u[k], xk + dk)
                    if xs[k] == u[k] { iword = 1 }
                }
            } else {
                xs[k] = xk + dk
            }
        }
        if iword == 0 { return }

        // Check sign of the directional derivative.
        var ddP = 0.0
        for i in 0..<n { ddP = ddP + (xs[i] - x[i]) * g[i] }
        if ddP > 0.0 {
            for i in 0..<n { xs[i] = xp[i] }
        } else {
            return
        }

        var alpha = 1.0
        var temp1 = 1.0
        var ibd = 0
        for i in 0..<nsub {
            let k = ind[i]
            let dk = dd[i]
            if nbd[k] != 0 {
                if dk < 0.0 && nbd[k] <= 2 {
                    let temp2 = l[k] - xs[k]
                    if temp2 >= 0.0 {
                        temp1 = 0.0
                    } else if dk * alpha < temp2 {
                        temp1 = temp2 / dk
                    }
                } else if dk > 0.0 && nbd[k] >= 2 {
                    let temp2 = u[k] - xs[k]
                    if temp2 <= 0.0 {
                        temp1 = 0.0
                    } else if dk * alpha > temp2 {
                        temp1 = temp2 / dk
                    }
                }
                if temp1 < alpha {
                    alpha = temp1
                    ibd = i
                }
            }
        }
        if alpha < 1.0 {
            let dk = dd[ibd]
            let k = ind[ibd]
            if dk > 0.0 {
                xs[k] = u[k]
                dd[ibd] = 0.0
            } else if dk < 0.0 {
                xs[k] = l[k]
                dd[ibd] = 0.0
            }
        }
        for i in 0..<nsub {
            let k = ind[i]
            xs[k] = xs[k] + alpha * dd[i]
        }
    }

    // MARK: - matupd

    /// `matupd`: append (d, r) to S and Y and update S'Y, S'S.
    private func matupd(rr: Double, dr: Double) {
        if iupdat <= m {
            col = iupdat
            itail = (head + iupdat - 1) % m
        } else {
            itail = (itail + 1) % m
            head = (head + 1) % m
        }
        copy(n, from: d, to: ws + itail * n)
        copy(n, from: r, to: wy + itail * n)
        theta = rr / dr
        if iupdat > m {
            if col > 1 {
                for j in 1..<col {
                    copy(j, from: ss + (1 + m * j), to: ss + (m * (j - 1)))
                    copy(col - j, from: sy + (j + m * j), to: sy + ((j - 1) + m * (j - 1)))
                }
            }
        }
        var pointr = head
        for j in 0..<(col - 1) {
            sy[col - 1 + m * j] = LBFGSBBlas.dot(n, d, wy + pointr * n)
            ss[j + m * (col - 1)] = LBFGSBBlas.dot(n, ws + pointr * n, d)
            pointr = (pointr + 1) % m
        }
        ss[(col - 1) + m * (col - 1)] = stp == 1.0 ? dtd : stp * stp * dtd
        sy[(col - 1) + m * (col - 1)] = dr
    }

    // MARK: - lnsrlb, dcsrch, dcstep

    /// `lnsrlb`: one step of the safeguarded Moré–Thuente line search.
    private func lnsrlb() {
        let ftol = 1e-3
        let gtol = 0.9
        let xtol = 0.1
        if !lineSearchInProgress {
            dnorm = nrm2(n, d)
            dtd = dnorm * dnorm
            stpmx = 1.0e+10
            if cnstnd {
                if iter == 0 {
                    stpmx = 1.0
                } else {
                    for i in 0..<n {
                        let a1 = d[i]
                        if nbd[i] != 0 {
                            if a1 < 0.0 && nbd[i] <= 2 {
                                let a2 = l[i] - x[i]
                                if a2 >= 0.0 {
                                    stpmx = 0.0
                                } else if a1 * stpmx < a2 {
                                    stpmx = a2 / a1
                                }
                            } else if a1 > 0.0 && nbd[i] >= 2 {
                                let a2 = u[i] - x[i]
                                if a2 <= 0.0 {
                                    stpmx = 0.0
                                } else if a1 * stpmx > a2 {
                                    stpmx = a2 / a1
                                }
                            }
                        }
                    }
                }
            }
            if iter == 0 && !boxed {
                stp = fmin(1.0 / dnorm, stpmx)
            } else {
                stp = 1.0
            }
            for i in 0..<n {
                t[i] = x[i]
                r[i] = g[i]
            }
            fold = f
            ifun = 0
            iback = 0
            searchTask = .start
        }
        // LINE556
        gd = LBFGSBBlas.dot(n, g, d)
        if ifun == 0 {
            gdold = gd
            if gd >= 0.0 {
                // The directional derivative >= 0, line search is impossible.
                info = -4
                return
            }
        }
        dcsrch(f: f, g: gd, ftol: ftol, gtol: gtol, xtol: xtol, stpmin: 0.0, stpmax: stpmx)
        xstep = stp * dnorm
        if searchTask != .convergence && searchTask != .warning {
            lineSearchWantsFG = true
            lineSearchInProgress = true
            ifun += 1
            nfgv += 1
            iback = ifun - 1
            if stp == 1.0 {
                for i in 0..<n { x[i] = z[i] }
            } else {
                for i in 0..<n {
                    x[i] = stp * d[i] + t[i]
                    if nbd[i] == 1 || nbd[i] == 2 { x[i] = fmax(x[i], l[i]) }
                    if nbd[i] == 2 || nbd[i] == 3 { x[i] = fmin(x[i], u[i]) }
                }
            }
        } else {
            lineSearchWantsFG = false
            lineSearchInProgress = false
        }
    }

    /// `dcsrch` (MINPACK-2): find a step satisfying the strong Wolfe conditions.
    private func dcsrch(
        f: Double, g: Double, ftol: Double, gtol: Double, xtol: Double, stpmin: Double,
        stpmax: Double
    ) {
        let xtrapl = 1.1
        let xtrapu = 4.0
        if searchTask == .start {
            if stp < stpmin { searchTask = .error }
            if stp > stpmax { searchTask = .error }
            if g >= 0.0 { searchTask = .error }
            if ftol < 0.0 { searchTask = .error }
            if gtol < 0.0 { searchTask = .error }
            if xtol < 0.0 { searchTask = .error }
            if stpmin < 0.0 { searchTask = .error }
            if stpmax < stpmin { searchTask = .error }
            if searchTask == .error { return }
            brackt = false
            stage = 1
            finit = f
            ginit = g
            gtest = ftol * ginit
            width = stpmax - stpmin
            width1 = width / 0.5
            stx = 0.0
            fx = finit
            gx = ginit
            sty = 0.0
            fy = finit
            gy = ginit
            stmin = 0.0
            stmax = stp + xtrapu * stp
            searchTask = .fg
            return
        }

        let ftest = finit + stp * gtest
        if stage == 1 && f <= ftest && g >= 0.0 { stage = 2 }

        // Test for warnings.
        if brackt && (stp <= stmin || stp >= stmax) { searchTask = .warning }
        if brackt && (stmax - stmin) <= xtol * stmax { searchTask = .warning }
        if stp == stpmax && f <= ftest && g <= gtest { searchTask = .warning }
        if stp == stpmin && (f > ftest || g >= gtest) { searchTask = .warning }
        // Test for convergence.
        if f <= ftest && abs(g) <= gtol * (-ginit) { searchTask = .convergence }
        if searchTask == .warning || searchTask == .convergence { return }

        if stage == 1 && f <= fx && f > ftest {
            let fm = f - stp * gtest
            var fxm = fx - stx * gtest
            var fym = fy - sty * gtest
            let gm = g - gtest
            var gxm = gx - gtest
            var gym = gy - gtest
            dcstep(&stx, &fxm, &gxm, &sty, &fym, &gym, &stp, fm, gm, &brackt, stmin, stmax)
            fx = fxm + stx * gtest
            fy = fym + sty * gtest
            gx = gxm + gtest
            gy = gym + gtest
        } else {
            dcstep(&stx, &fx, &gx, &sty, &fy, &gy, &stp, f, g, &brackt, stmin, stmax)
        }

        if brackt {
            if abs(sty - stx) >= 0.66 * width1 {
                stp = stx + 0.5 * (sty - stx)
            }
            width1 = width
            width = abs(sty - stx)
        }
        if brackt {
            stmin = fmin(stx, sty)
            stmax = fmax(stx, sty)
        } else {
            stmin = stp + xtrapl * (stp - stx)
            stmax = stp + xtrapu * (stp - stx)
        }
        stp = fmax(stp, stpmin)
        stp = fmin(stp, stpmax)
        if (brackt && (stp <= stmin || stp >= stmax)) || (brackt && (stmax - stmin <= xtol * stmax)) {
            stp = stx
        }
        searchTask = .fg
    }

    /// `dcstep` (MINPACK-2): safeguarded cubic/quadratic step.
    private func dcstep(
        _ stx: inout Double, _ fx: inout Double, _ dx: inout Double, _ sty: inout Double, _ fy: inout Double,
        _ dy: inout Double, _ stp: inout Double, _ fp: Double, _ dp: Double, _ brackt: inout Bool,
        _ stpmin: Double, _ stpmax: Double
    ) {
        let sgnd = dp * (dx / abs(dx))
        var stpf: Double
        if fp > fx {
            let theta = 3.0 * (fx - fp) / (stp - stx) + dx + dp
            let s = fmax(abs(theta), fmax(abs(dx), abs(dp)))
            var gamma = s * ((theta / s) * (theta / s) - (dx / s) * (dp / s)).squareRoot()
            if stp < stx { gamma = -gamma }
            let p = (gamma - dx) + theta
            let q = ((gamma - dx) + gamma) + dp
            let r = p / q
            let stpc = stx + r * (stp - stx)
            let stpq = stx + ((dx / ((fx - fp) / (stp - stx) + dx)) / 2.0) * (stp - stx)
            if abs(stpc - stx) < abs(stpq - stx) {
                stpf = stpc
            } else {
                stpf = stpc + (stpq - stpc) / 2.0
            }
            brackt = true
        } else if sgnd < 0.0 {
            let theta = 3.0 * (fx - fp) / (stp - stx) + dx + dp
            let s = fmax(abs(theta), fmax(abs(dx), abs(dp)))
            var gamma = s * ((theta / s) * (theta / s) - (dx / s) * (dp / s)).squareRoot()
            if stp > stx { gamma = -gamma }
            let p = (gamma - dp) + theta
            let q = ((gamma - dp) + gamma) + dx
            let r = p / q
            let stpc = stp + r * (stx - stp)
            let stpq = stp + (dp / (dp - dx)) * (stx - stp)
            if abs(stpc - stp) > abs(stpq - stp) {
                stpf = stpc
            } else {
                stpf = stpq
            }
            brackt = true
        } else if abs(dp) < abs(dx) {
            let theta = 3.0 * (fx - fp) / (stp - stx) + dx + dp
            let s = fmax(abs(theta), fmax(abs(dx), abs(dp)))
            var gamma = s * fmax(0.0, (theta / s) * (theta / s) - (dx / s) * (dp / s)).squareRoot()
            if stp > stx { gamma = -gamma }
            let p = (gamma - dp) + theta
            let q = (gamma + (dx - dp)) + gamma
            let r = p / q
            let stpc: Double
            if r < 0.0 && gamma != 0.0 {
                stpc = stp + r * (stx - stp)
            } else if stp > stx {
                stpc = stpmax
            } else {
                stpc = stpmin
            }
            let stpq = stp + (dp / (dp - dx)) * (stx - stp)
            if brackt {
                if abs(stpc - stp) < abs(stpq - stp) {
                    stpf = stpc
                } else {
                    stpf = stpq
                }
                if stp > stx {
                    stpf = fmin(stp + 0.66 * (sty - stp), stpf)
                } else {
                    stpf = fmax(stp + 0.66 * (sty - stp), stpf)
                }
            } else {
                if abs(stpc - stp) > abs(stpq - stp) {
                    stpf = stpc
                } else {
                    stpf = stpq
                }
                stpf = fmin(stpmax, stpf)
                stpf = fmax(stpmin, stpf)
            }
        } else {
            if brackt {
                let theta = 3.0 * (fp - fy) / (sty - stp) + dy + dp
                let s = fmax(abs(theta), fmax(abs(dy), abs(dp)))
                var gamma = s * ((theta / s) * (theta / s) - (dy / s) * (dp / s)).squareRoot()
                if stp > sty { gamma = -gamma }
                let p = (gamma - dp) + theta
                let q = ((gamma - dp) + gamma) + dy
                let r = p / q
                let stpc = stp + r * (sty - stp)
                stpf = stpc
            } else if stp > stx {
                stpf = stpmax
            } else {
                stpf = stpmin
            }
        }
        // Update the interval which contains a minimizer.
        if fp > fx {
            sty = stp
            fy = fp
            dy = dp
        } else {
            if sgnd < 0.0 {
                sty = stx
                fy = fx
                dy = dx
            }
            stx = stp
            fx = fp
            dx = dp
        }
        stp = stpf
    }

    // MARK: - small BLAS helpers

    private func copy(_ count: Int, from src: UnsafeMutablePointer<Double>, to dst: UnsafeMutablePointer<Double>) {
        var i = 0
        while i < count {
            dst[i] = src[i]
            i += 1
        }
    }

    private func nrm2(_ count: Int, _ v: UnsafeMutablePointer<Double>) -> Double {
        LBFGSBBlas.nrm2(count, v)
    }
}

/// C's `fmax`: the larger operand, ignoring a single NaN.
@inline(__always) private func fmax(_ a: Double, _ b: Double) -> Double { Double.maximum(a, b) }

/// C's `fmin`: the smaller operand, ignoring a single NaN.
@inline(__always) private func fmin(_ a: Double, _ b: Double) -> Double { Double.minimum(a, b) }
