// Prints every frame a relay sends to a subscriber of one agency, as raw JSON lines.
// Usage: node examples/subscribe.mjs [ws://127.0.0.1:8080/ws] [agency id]
import WebSocket from 'ws';

const url = process.argv[2] ?? 'ws://127.0.0.1:8080/ws';
const agency = Number(process.argv[3] ?? 3);

const socket = new WebSocket(url);

socket.on('open', () => {
  socket.send(JSON.stringify({ type: 'subscribe', id: 's1', agencies: [agency] }));
});

socket.on('message', (data) => {
  process.stdout.write(`${data}\n`);
});

socket.on('unexpected-response', (_request, response) => {
  const code = response.headers['x-relay-error'] ?? 'no code';
  process.stderr.write(`upgrade refused: HTTP ${response.statusCode} ${code}\n`);
  process.exit(1);
});

socket.on('close', (code, reason) => {
  process.stderr.write(`closed: ${code} ${reason}\n`);
  process.exit(code === 1000 ? 0 : 1);
});

socket.on('error', (error) => {
  process.stderr.write(`error: ${error.message}\n`);
});
