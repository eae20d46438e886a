import ArgumentParser

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Put recomputed rows back where the dashboards read them.",
        subcommands: [ExportDynamoDBCommand.self])
}
