import Foundation
import XCTest

/// The files under deploy/ parse, say what the README says, and agree with each other and with the CLI: the
/// Indexed Job's completions equal its --partitions, credentials come from a role (never keys), the Batch merge
/// job depends on the array job, and the Dockerfile's build steps are the README's commands.
final class DeployManifestTests: XCTestCase {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    func text(_ path: String) throws -> String { try String(contentsOfFile: root + "/" + path, encoding: .utf8) }

    /// The YAML documents of `path`, parsed by PyYAML and handed over as JSON.
    func yamlDocuments(_ path: String) throws -> [[String: Any]] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", "import json, sys, yaml; print(json.dumps(list(yaml.safe_load_all(open(sys.argv[1])))))", root + "/" + path]
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        if p.terminationStatus != 0 && errors.contains("No module named 'yaml'") {
            throw XCTSkip("PyYAML is not installed: pip install pyyaml")
        }
        XCTAssertEqual(p.terminationStatus, 0, "\(path): \(errors)")
        return try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [[String: Any]], path)
    }

    func json(_ path: String) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(try text(path).utf8)) as? [String: Any], path)
    }

    func testKubernetesIndexedJobAndMergeJob() throws {
        let docs = try yamlDocuments("deploy/kubernetes/backfill-job.yaml")
        XCTAssertEqual(docs.map { $0["kind"] as? String }, ["ServiceAccount", "Job"])
        let account = docs[0]["metadata"] as? [String: Any]
        XCTAssertEqual((account?["annotations"] as? [String: String])?["eks.amazonaws.com/role-arn"], "arn:aws:iam::123456789012:role/clickstream-backfill")
        let spec = try XCTUnwrap(docs[1]["spec"] as? [String: Any])
        XCTAssertEqual(spec["completionMode"] as? String, "Indexed")
        let completions = try XCTUnwrap(spec["completions"] as? Int)
        let pod = try XCTUnwrap((spec["template"] as? [String: Any])?["spec"] as? [String: Any])
        XCTAssertEqual(pod["serviceAccountName"] as? String, "clickstream-backfill")
        let container = try XCTUnwrap((pod["containers"] as? [[String: Any]])?.first)
        let args = try XCTUnwrap(container["args"] as? [String])
        XCTAssertEqual(args.first, "replay")
        XCTAssertEqual(args[args.firstIndex(of: "--partition")! + 1], "auto")
        XCTAssertEqual(args[args.firstIndex(of: "--partitions")! + 1], String(completions))
        XCTAssertTrue(args[args.firstIndex(of: "--db")! + 1].hasPrefix("s3://") && args[args.firstIndex(of: "--db")! + 1].hasSuffix("/"))

        let merge = try yamlDocuments("deploy/kubernetes/merge-export-job.yaml")
        XCTAssertEqual(merge.map { $0["kind"] as? String }, ["Job"])
        let mergePod = try XCTUnwrap(((merge[0]["spec"] as? [String: Any])?["template"] as? [String: Any])?["spec"] as? [String: Any])
        XCTAssertEqual(mergePod["serviceAccountName"] as? String, "clickstream-backfill")
        XCTAssertEqual(((mergePod["initContainers"] as? [[String: Any]])?.first?["args"] as? [String])?.prefix(2),
                       ["merge", args[args.firstIndex(of: "--db")! + 1]])
        XCTAssertEqual(((mergePod["containers"] as? [[String: Any]])?.first?["args"] as? [String])?.prefix(2), ["export", "dynamodb"])
    }

    func testAWSBatchDefinitionsAndSubmissions() throws {
        let replay = try json("deploy/aws-batch/replay-job-definition.json")
        let command = try XCTUnwrap((replay["containerProperties"] as? [String: Any])?["command"] as? [String])
        XCTAssertEqual(command.first, "replay")
        XCTAssertEqual(command[command.firstIndex(of: "--partition")! + 1], "auto")
        XCTAssertFalse(command.contains("--partitions"), "Batch gives the size in AWS_BATCH_JOB_ARRAY_SIZE")
        // Every Ref:: of the command is a declared parameter.
        let parameters = try XCTUnwrap(replay["parameters"] as? [String: String])
        for ref in command where ref.hasPrefix("Ref::") { XCTAssertNotNil(parameters[String(ref.dropFirst(5))], ref) }
        XCTAssertNotNil((replay["containerProperties"] as? [String: Any])?["jobRoleArn"])

        let array = try json("deploy/aws-batch/submit-array-job.json")
        XCTAssertEqual(array["jobDefinition"] as? String, replay["jobDefinitionName"] as? String)
        XCTAssertEqual((array["arrayProperties"] as? [String: Int])?["size"], 16)
        let mergeDefinition = try json("deploy/aws-batch/merge-job-definition.json")
        let merge = try json("deploy/aws-batch/submit-merge-job.json")
        XCTAssertEqual(merge["jobDefinition"] as? String, mergeDefinition["jobDefinitionName"] as? String)
        XCTAssertEqual((merge["dependsOn"] as? [[String: String]])?.first?["jobId"], "ARRAY_JOB_ID")
        XCTAssertTrue(try text("deploy/aws-batch/submit.sh").contains("s/ARRAY_JOB_ID/$array_id/"))
    }

    func testNoKeysAnywhereAndTheDockerfileBuildsAsTheReadmeSays() throws {
        for file in ["deploy/kubernetes/backfill-job.yaml", "deploy/kubernetes/merge-export-job.yaml", "deploy/aws-batch/replay-job-definition.json",
                     "deploy/aws-batch/merge-job-definition.json", "deploy/aws-batch/submit-array-job.json", "deploy/aws-batch/submit-merge-job.json",
                     "deploy/Dockerfile"] {
            let t = try text(file)
            XCTAssertFalse(t.contains("AWS_ACCESS_KEY_ID") || t.contains("AWS_SECRET_ACCESS_KEY") || t.contains("AKIA"), file)
        }
        let dockerfile = try text("deploy/Dockerfile")
        let readme = try text("README.md")
        let from = dockerfile.split(separator: "\n").filter { $0.hasPrefix("FROM ") }
        XCTAssertEqual(from, ["FROM ${SWIFT_IMAGE} AS build", "FROM debian:bookworm-slim AS run"])
        XCTAssertTrue(dockerfile.contains("ARG SWIFT_IMAGE=swift:6.3-bookworm"))
        XCTAssertTrue(dockerfile.contains("\nUSER 10001\n"))
        // The commands that build and install, word for word in the README's "Container image" section.
        let commands = dockerfile.split(separator: "\n").filter { $0.hasPrefix("RUN ") }.map { String($0.dropFirst(4)) }
        XCTAssertEqual(commands.count, 6)
        for c in commands { XCTAssertTrue(readme.contains(c), "README lacks: \(c)") }
    }
}
