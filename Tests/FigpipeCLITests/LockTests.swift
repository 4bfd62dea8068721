import Foundation
import Testing

/// a → slow (waits until the gate file exists, then writes out/slow.bin).
/// Returns the gate: the test creates it to let the first run finish.
private func slowPipeline(_ p: CLIProject) throws -> String {
    let gate = p.io.file("gate")
    try p.writeData("a.txt", "a")
    try p.writePipeline([
        stage("a", "test.source", inputs: ["file": "a.txt"]),
        stage(
            "slow", "test.slow-render", params: ["path": "slow.bin", "until": .string(gate), "megabytes": 1],
            inputs: ["in": "a"]),
    ])
    return gate
}

private func openGate(_ gate: String) {
    FileManager.default.createFile(atPath: gate, contents: Data())
}

/// Starts a run and returns once its slow stage has started (so it holds the lock).
private func startHolder(_ p: CLIProject) async throws -> Child {
    let holder = try p.spawn(["run"])
    let started = await poll { p.counts["slow"] == 1 || holder.hasExited }
    try #require(started && !holder.hasExited, "the first run did not reach its slow stage: \(holder.stderrSoFar)")
    return holder
}

@Suite struct Locking {
    @Test func noWaitExitsThreeWhileAnotherRunHoldsTheLock() async throws {
        let p = CLIProject()
        let gate = try slowPipeline(p)
        defer { openGate(gate) }  // also when an expectation below stops the test early
        let holder = try await startHolder(p)
        for command in [["run", "--no-wait"], ["gc", "--no-wait"], ["clean", "--no-wait"]] {
            let r = try await p.run(arguments: command)
            #expect(r.exitCode == 3, "\(command): \(r)")
            #expect(r.stderrLines.count == 1)
            #expect(
                r.stderr.contains("another figpipe run (pid \(holder.pid)) holds the cache lock .figpipe/lock"), "\(r)")
            #expect(r.stderr.contains("--no-wait"))
        }
        // Reading commands do not take the lock.
        let status = try await p.run("status")
        #expect(status.exitCode == 0)
        openGate(gate)
        let first = try await holder.finish()
        #expect(first.exitCode == 0, "\(first)")
        #expect(p.counts == ["a": 1, "slow": 1])
        #expect(p.dir.exists("out/slow.bin"))
    }

    @Test func aSecondRunWaitsSaysSoThenFindsEverythingCached() async throws {
        let p = CLIProject()
        let gate = try slowPipeline(p)
        defer { openGate(gate) }  // also when an expectation below stops the test early
        let holder = try await startHolder(p)
        let waiter = try p.spawn(["run"])
        let saidSo = await poll {
            waiter.stderrSoFar.contains("waiting for another figpipe run") || waiter.hasExited
        }
        #expect(saidSo)
        #expect(!holder.hasExited, "the first run ended before the second one waited")
        #expect(
            waiter.stderrSoFar
                == "figpipe: waiting for another figpipe run (pid \(holder.pid)) to finish: lock .figpipe/lock\n")
        openGate(gate)
        let first = try await holder.finish()
        let second = try await waiter.finish()
        #expect(first.exitCode == 0, "\(first)")
        #expect(second.exitCode == 0, "\(second)")
        #expect(second.stdoutLines.contains("[2/2] cached slow"), "\(second)")
        #expect(second.stdoutLines.last?.hasPrefix("2 cached, 0 ran, 0 failed in ") == true)
        #expect(isSummaryLine(second.stdoutLines.last))
        #expect(p.counts == ["a": 1, "slow": 1])
    }
}
