import { Duplex } from "node:stream";

/** The far side of a socket the app writes lines to: what it wrote, and a way to answer it. */
export function fakeDuplex() {
  const written: string[] = [];
  const port = new Duplex({
    read() {},
    write(chunk, _encoding, done) {
      written.push(String(chunk));
      done();
    },
  });
  return { port, written, answer: (text: string) => port.push(text) };
}
