import ClickstreamStore

/// The store opened for writing by one command: the database's writer lock (a second writer gets exit 2 naming
/// the holder) and the connection, released together when this value goes away.
struct WriterStore {
    let lock: StoreLock
    let store: Store

    /// `command` is what a refused second writer is told holds the database.
    init(path: String, command: String) throws {
        do { lock = try StoreLock(databasePath: path, command: command) } catch {
            throw RunError("\(error)", exitCode: 2)
        }
        do { store = try Store(path: path) } catch {
            throw RunError("database \(path): \(error)")
        }
    }
}
