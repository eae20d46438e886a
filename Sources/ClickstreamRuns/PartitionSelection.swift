import ClickstreamCore
import ClickstreamPipeline

/// Which partition this process replays: given on the command line (`--partition 3/8`) or, with `--partition auto`,
/// taken from the array-job engine that started it — a Kubernetes Indexed Job (`JOB_COMPLETION_INDEX`, with the
/// count from `--partitions N`, since Kubernetes does not put `completions` in the environment) or an AWS Batch
/// array job (`AWS_BATCH_JOB_ARRAY_INDEX` and `AWS_BATCH_JOB_ARRAY_SIZE`). `origin` says which, for the log.
public struct PartitionSelection: Equatable, Sendable {
    public var partition: WindowPartition
    /// `--partition 3/8`, `JOB_COMPLETION_INDEX=3 with --partitions 8 (Kubernetes Indexed Job)`, …
    public var origin: String

    /// `value` is the `--partition` argument; `partitions` is `--partitions`. Errors are usage errors (exit 2)
    /// naming the variable or option at fault.
    public static func resolve(_ value: String, partitions: Int?, environment: [String: String]) throws -> PartitionSelection {
        guard value == "auto" else {
            if partitions != nil {
                throw ClickstreamError(.usage, "--partitions", "is only used with --partition auto (here the count is in --partition \(value))")
            }
            do { return PartitionSelection(partition: try WindowPartition(parsing: value), origin: "--partition \(value)") } catch {
                throw ClickstreamError(.usage, nil, "\(error)")
            }
        }
        func integer(_ name: String) throws -> Int? {
            guard let text = environment[name] else { return nil }
            guard let n = Int(text.trimmingCharacters(in: " \t\n")) else {
                throw ClickstreamError(.usage, name, "must be a whole number, not '\(text)'")
            }
            return n
        }
        do {
            if let index = try integer("JOB_COMPLETION_INDEX") {
                guard let partitions else {
                    throw ClickstreamError(.usage, "--partition auto", "JOB_COMPLETION_INDEX=\(index) is set (Kubernetes Indexed Job) "
                        + "but the count is not: add --partitions N, the Job's completions")
                }
                return PartitionSelection(partition: try WindowPartition(index: index, count: partitions),
                                          origin: "JOB_COMPLETION_INDEX=\(index) with --partitions \(partitions) (Kubernetes Indexed Job)")
            }
            if let index = try integer("AWS_BATCH_JOB_ARRAY_INDEX") {
                let size = try integer("AWS_BATCH_JOB_ARRAY_SIZE") ?? partitions
                guard let size else {
                    throw ClickstreamError(.usage, "--partition auto", "AWS_BATCH_JOB_ARRAY_INDEX=\(index) is set but AWS_BATCH_JOB_ARRAY_SIZE "
                        + "is not: set it (or --partitions N) to the array size")
                }
                if let partitions, partitions != size {
                    throw ClickstreamError(.usage, "--partitions", "\(partitions) disagrees with AWS_BATCH_JOB_ARRAY_SIZE=\(size)")
                }
                return PartitionSelection(partition: try WindowPartition(index: index, count: size),
                                          origin: "AWS_BATCH_JOB_ARRAY_INDEX=\(index) of AWS_BATCH_JOB_ARRAY_SIZE=\(size) (AWS Batch array job)")
            }
        } catch let error as WindowPartitionError {
            throw ClickstreamError(.usage, "--partition auto", "\(error)")
        }
        throw ClickstreamError(.usage, "--partition auto", "neither JOB_COMPLETION_INDEX (Kubernetes Indexed Job) nor "
            + "AWS_BATCH_JOB_ARRAY_INDEX (AWS Batch array job) is set: give --partition INDEX/COUNT")
    }
}

private extension String {
    func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let c = s.first, set.contains(c) { s = s.dropFirst() }
        while let c = s.last, set.contains(c) { s = s.dropLast() }
        return String(s)
    }
}
