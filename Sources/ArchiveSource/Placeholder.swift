// ArchiveSource
