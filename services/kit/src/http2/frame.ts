// A gRPC message as it goes on the wire, both ways: a compressed flag (0: this
// side never compresses), its length (4 bytes, big-endian), then its bytes.
export function lengthPrefixed(message: Uint8Array): Buffer {
  const frame = Buffer.allocUnsafe(5 + message.length);
  frame[0] = 0;
  frame.writeUInt32BE(message.length, 1);
  frame.set(message, 5);
  return frame;
}
