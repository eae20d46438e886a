// ClickstreamTestSupport
