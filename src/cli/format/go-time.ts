// @pure
// Go's time.Time.String() in UTC ("2006-01-02 15:04:05 +0000 UTC"), as `ps --format {{.CreatedAt}}`
// and `images --format {{.CreatedAt}}` print it (the CLI runs with the local zone; berth uses UTC
// unless TZ offsets are known, which matches containers and CI machines running in UTC).
export function goTimeString(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000 UTC`;
}

