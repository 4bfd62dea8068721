// `make fuzz`: the mutation fuzzer (Sources/Fuzzing) as a command.
import Fuzzing

FuzzCommand.main()
