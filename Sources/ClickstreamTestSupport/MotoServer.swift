// MotoServer
