/** A loopback TCP port free right now (the OS picks it; the probe socket is closed before resolving). */
export function freePort(): Promise<number>
