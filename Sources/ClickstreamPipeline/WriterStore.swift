import ClickstreamStore

/// The store opened for writing by one command: the database's writer lock (a second writer gets exit 2 naming
/// the holder) and the connection, released together when this value goes away.
public struct WriterStore {
    public let lock: StoreLock
    public let store: Store

    /// `command` is what a refused second writer is told holds the database.
    /// `adoptForeign` (`--init`) lets it add its tables to an SQLite database clickstream did not make.
    public init(path: String, command: String, adoptForeign: Bool = false) throws {
        do { lock = try StoreLock(databasePath: path, command: command) } catch {
            // Held by another writer: exit 2, try later. A database file that cannot be opened (a missing folder): exit 1.
            throw ClickstreamError(error.isHeld ? .busy : .database, nil, "\(error)")
        }
        do { store = try Store(path: path, lock: lock, adoptForeign: adoptForeign) } catch let e as StoreError {
            // Someone else's database is the caller's to fix (another file, or --init): exit 2.
            if case .foreign = e { throw ClickstreamError(.usage, "database \(path)", "\(e)") }
            throw ClickstreamError(.database, "database \(path)", "\(e)")
        } catch {
            throw ClickstreamError.wrapping(error, .database, "database \(path)")
        }
    }
}
