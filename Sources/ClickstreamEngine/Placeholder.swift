// ClickstreamEngine
