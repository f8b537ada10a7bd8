// Prometheus text-format metrics: requests by method, route and status, their durations,
// bytes in and out, uploads in progress.

export class Metrics {
  private readonly requests = new Map<string, number>();
  private readonly durations = new Map<string, { sum: number; count: number }>();
  bytesSent = 0;
  bytesReceived = 0;
  private readonly started = Date.now();

  observe(method: string, route: string, status: number, seconds: number, sent: number, received: number): void {
    const key = `method="${method}",route="${route}",status="${status}"`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    const d = this.durations.get(`route="${route}"`) ?? { sum: 0, count: 0 };
    d.sum += seconds;
    d.count += 1;
    this.durations.set(`route="${route}"`, d);
    this.bytesSent += sent;
    this.bytesReceived += received;
  }

  render(gauges: { uploadsInProgress: number }): string {
    const lines: string[] = [
      '# HELP registry_http_requests_total HTTP requests served.',
      '# TYPE registry_http_requests_total counter',
      ...[...this.requests].map(([k, v]) => `registry_http_requests_total{${k}} ${v}`),
      '# HELP registry_http_request_duration_seconds Time to serve requests.',
      '# TYPE registry_http_request_duration_seconds summary',
      ...[...this.durations].flatMap(([k, d]) => [
        `registry_http_request_duration_seconds_sum{${k}} ${d.sum.toFixed(6)}`,
        `registry_http_request_duration_seconds_count{${k}} ${d.count}`,
      ]),
      '# TYPE registry_bytes_sent_total counter',
      `registry_bytes_sent_total ${this.bytesSent}`,
      '# TYPE registry_bytes_received_total counter',
      `registry_bytes_received_total ${this.bytesReceived}`,
      '# TYPE registry_uploads_in_progress gauge',
      `registry_uploads_in_progress ${gauges.uploadsInProgress}`,
      '# TYPE registry_uptime_seconds gauge',
      `registry_uptime_seconds ${((Date.now() - this.started) / 1000).toFixed(0)}`,
      '# TYPE process_resident_memory_bytes gauge',
      `process_resident_memory_bytes ${process.memoryUsage.rss()}`,
    ];
    return lines.join('\n') + '\n';
  }
}
