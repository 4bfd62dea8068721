import FigpipeBasics
import Foundation
import PipelineTesting
import Testing

@Suite struct FileLocking {
    @Test func aSecondHolderIsToldItIsBusy() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("lock")
        var first: FileLock? = try FileLock(path: path, wait: false) { _ in Issue.record("should not wait") }
        #expect(first != nil)
        #expect(dir.read("lock") == "pid \(getpid())\n")
        do {
            _ = try FileLock(path: path, wait: false) { _ in Issue.record("should not wait") }
            Issue.record("the lock was taken twice")
        } catch let e as LockBusyError {
            #expect(e.holder == "pid \(getpid())")
            #expect(e.description.contains("pid \(getpid())"))
            #expect(e.description.contains("--no-wait"))
        }
        first = nil  // released
        let again = try FileLock(path: path, wait: false) { _ in Issue.record("should not wait") }
        withExtendedLifetime(again) {}
    }

    @Test func aWaitingHolderSaysSoAndGetsTheLockWhenReleased() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("lock")
        let holder = LockHolder(try FileLock(path: path, wait: false) { _ in })
        let waiting = DispatchSemaphore(value: 0)
        let acquired = DispatchSemaphore(value: 0)
        let messages = MessageBox()
        let thread = Thread {
            do {
                let lock = try FileLock(path: path, wait: true) { message in
                    messages.set(message)
                    waiting.signal()
                }
                messages.acquired = true
                withExtendedLifetime(lock) {}
            } catch {
                messages.set("error: \(error)")
            }
            acquired.signal()
        }
        thread.start()
        // Generous deadlines only guard against hanging the suite.
        try #require(waiting.wait(timeout: .now() + 60) == .success)
        #expect(messages.value?.hasPrefix("waiting for another figpipe run (pid \(getpid())) to finish") == true)
        #expect(!messages.acquired)
        holder.release()
        try #require(acquired.wait(timeout: .now() + 60) == .success)
        #expect(messages.acquired)
    }
}

extension FileLocking {
    /// A refused lock closes its descriptor once: were it closed again (a
    /// class initializer that throws after storing every property is
    /// deinitialized), it would close descriptors other threads have since
    /// opened. Threads keep being refused while others open and check files.
    @Test func aRefusedLockClosesNothingElse() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("lock")
        let held = try FileLock(path: path, wait: false) { _ in }
        let victims = dir.file("victims")
        let failures = MessageBox()
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            for _ in 0..<300 {
                if worker % 2 == 0 {
                    _ = try? FileLock(path: path, wait: false) { _ in }
                } else {
                    let fd = open(victims, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
                    guard fd >= 0 else { continue }
                    // Still open: nobody else closed it.
                    if fcntl(fd, F_GETFD) == -1 { failures.set("descriptor \(fd) was closed by someone else") }
                    close(fd)
                }
            }
        }
        #expect(failures.value == nil)
        withExtendedLifetime(held) {}
    }
}

private final class LockHolder: @unchecked Sendable {
    private var lock: FileLock?
    init(_ lock: FileLock) { self.lock = lock }
    func release() { lock = nil }
}

private final class MessageBox: @unchecked Sendable {
    private let lock = NSLock()
    private var _value: String?
    private var _acquired = false
    func set(_ v: String) { lock.withLock { _value = v } }
    var value: String? { lock.withLock { _value } }
    var acquired: Bool {
        get { lock.withLock { _acquired } }
        set { lock.withLock { _acquired = newValue } }
    }
}
