// figpipe with the test-only stage kinds registered, for the process-level
// tests (locking, interrupts, exit codes). Invocations are appended to the
// file named by FIGPIPE_TEST_LOG when it is set.
import FigpipeCLI
import Foundation
import PipelineTesting

let log = InvocationLog(file: ProcessInfo.processInfo.environment["FIGPIPE_TEST_LOG"])
Figpipe.registry.add(TestKinds.all(log: log))
Figpipe.main()
