package labourio

import "runtime"

type runtimeMem struct{ total uint64 }

func (m *runtimeMem) read() { var s runtime.MemStats; runtime.ReadMemStats(&s); m.total = s.TotalAlloc }
