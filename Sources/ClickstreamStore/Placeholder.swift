// ClickstreamStore
