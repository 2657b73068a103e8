// Secrets mounted in sandboxes, with both SDKs (the secrets themselves are in
// tests/secret-steps.mjs, part of the settings steps): the sandbox sees placeholders, and
// daytona-local's egress proxy puts the values in place in requests to the secrets' hosts,
// over HTTP and HTTPS, live.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttp } from 'node:http';
import { createServer as createHttps } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as official from '@daytonaio/sdk';
import { HOST_ADDRESS, startServer } from '../daytona-local-harness.mjs';
import * as sdk from '../../pkg/node.mjs';

const NAME = 'api.secrets.test';
let server, tls, web, secure;

/** A CA and a certificate for NAME it signed, made with openssl. */
function makeCertificates() {
  const dir = mkdtempSync(join(tmpdir(), 'secrets-tls-'));
  const ssl = (...args) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=secrets test CA');
  ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'srv.key', '-out', 'srv.csr', '-subj', `/CN=${NAME}`);
  writeFileSync(join(dir, 'ext'), `subjectAltName=DNS:${NAME}\n`);
  ssl('x509', '-req', '-in', 'srv.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'srv.pem', '-days', '2', '-extfile', 'ext');
  return { dir, ca: join(dir, 'ca.pem'), key: readFileSync(join(dir, 'srv.key')), cert: readFileSync(join(dir, 'srv.pem')) };
}

const sha = (text) => createHash('sha256').update(text ?? '').digest('hex');
/** Answers with what it was sent: the request target, two headers' digests, and one header as
 * it came, which the proxy must take a value back out of. */
const echo = (req, res) => res.end(JSON.stringify({
  url: req.url, auth: sha(req.headers.authorization), other: sha(req.headers['x-other']), echoed: req.headers.authorization,
}));
const listen = (srv, port) => new Promise((resolve, reject) => srv.once('error', reject).listen(port, HOST_ADDRESS, resolve));

before(async () => {
  tls = makeCertificates();
  // Ports 80 and 443 of this host's address: the ports the egress proxy takes over.
  web = createHttp(echo);
  // An upgrade to a protocol that sends back what it gets.
  web.on('upgrade', (req, socket) => {
    socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n');
    socket.pipe(socket);
  });
  secure = createHttps({ key: tls.key, cert: tls.cert }, echo);
  await Promise.all([listen(web, 80), listen(secure, 443)]);
  // daytona-local checks the upstream server against the test CA.
  server = await startServer({ env: { SSL_CERT_FILE: tls.ca } });
});
after(async () => {
  await server?.stop();
  web?.close();
  secure?.close();
  if (tls) rmSync(tls.dir, { recursive: true, force: true });
});

for (const [name, mod, config] of [['daytona-wasm', sdk, {}], ['official SDK', official, { target: 'local' }]]) {
  test(`${name}: mounted secrets are placeholders inside and values on the wire to their hosts, live`, async () => {
    const daytona = new mod.Daytona({ ...config, apiKey: server.apiKey, apiUrl: server.apiUrl });
    const tag = name.replace(/\W/g, '_');
    const values = ['tok-first-value', 'tok-rotated-value', 'elsewhere-value'].map((v) => `${v}-${tag}`);
    const token = await daytona.secret.create({ name: `TOKEN_${tag}`, value: values[0], hosts: [NAME, HOST_ADDRESS] });
    const other = await daytona.secret.create({ name: `OTHER_${tag}`, value: values[2], hosts: ['elsewhere.test'] });
    const sb = await daytona.create({ secrets: { API_TOKEN: token.name, OTHER_TOKEN: other.name } });
    const sh = async (command) => (await sb.process.executeCommand(command)).result.trim();
    const headers = '-H "Authorization: Bearer $API_TOKEN" -H "X-Other: $OTHER_TOKEN"';
    const overHttp = async () => JSON.parse(await sh(`curl -sS -m 10 ${headers} "http://${HOST_ADDRESS}/v1?key=$API_TOKEN"`));
    const overHttps = async () => JSON.parse(await sh(`curl -sS -m 10 --resolve ${NAME}:443:${HOST_ADDRESS} ${headers} https://${NAME}/v1`));
    try {
      assert.equal(await sh('echo $API_TOKEN'), token.placeholder);
      assert.equal(await sh(`cat /proc/self/environ | tr '\\0' '\\n' | grep -c -- '${values[0]}' || true`), '0', 'the value is nowhere in the sandbox');
      // The value goes in headers to the secret's hosts, never in the request line, and comes
      // back out of what the server answers.
      const expected = (value) => ({ url: `/v1?key=${token.placeholder}`, auth: sha(`Bearer ${value}`), other: sha(other.placeholder), echoed: `Bearer ${token.placeholder}` });
      assert.deepEqual(await overHttp(), expected(values[0]));
      assert.deepEqual(await overHttps(), { ...expected(values[0]), url: '/v1' }, 'a secret for another host stays a placeholder');
      // Straight to the proxy's own port (not redirected): closed at once, nothing looped.
      const port = await sh("ss -ltnH | awk '{print $4}' | grep '^127.0.0.1:' | cut -d: -f2 | head -1");
      assert.match(port, /^\d+$/);
      assert.match(await sh(`curl -sS -m 5 http://127.0.0.1:${port}/ 2>&1; echo " exit=$?"`), /exit=(52|56)/);
      // An upgrade passes both ways, with no value in it.
      const upgraded = await sh(`python3 -c "
import os, socket
s = socket.create_connection(('${HOST_ADDRESS}', 80), timeout=10)
s.sendall(b'GET / HTTP/1.1\\r\\nHost: ${HOST_ADDRESS}\\r\\nUpgrade: echo\\r\\nConnection: Upgrade\\r\\n\\r\\n')
head = b''
while not head.endswith(b'\\r\\n\\r\\n'):
    head += s.recv(1)
s.sendall(('ping ' + os.environ['API_TOKEN']).encode())
print(head.split(b'\\r\\n')[0].decode(), s.recv(100).decode())"`);
      assert.equal(upgraded, `HTTP/1.1 101 Switching Protocols ping ${token.placeholder}`);
      // A Host that is not where the connection goes gets no value.
      const spoofed = JSON.parse(await sh(`curl -sS -m 10 -H "Host: ${NAME}" -H "Authorization: Bearer $API_TOKEN" "http://${HOST_ADDRESS}/"`));
      assert.equal(spoofed.auth, sha(`Bearer ${token.placeholder}`));
      await daytona.secret.update(token.id, { value: values[1] });
      assert.equal((await overHttps()).auth, sha(`Bearer ${values[1]}`), 'a rotated value counts at once');
      await sb.updateSecrets({});
      assert.equal(await sh('echo "[$API_TOKEN]"'), '[]', 'detached');
      const literal = JSON.parse(await sh(`curl -sS -m 10 -H "Authorization: Bearer ${token.placeholder}" "http://${HOST_ADDRESS}/"`));
      assert.equal(literal.auth, sha(`Bearer ${token.placeholder}`), 'no proxy after the last secret goes');
      await sb.updateSecrets({ API_TOKEN: token.name });
      assert.equal((await overHttp()).auth, sha(`Bearer ${values[1]}`), 'attached again, live');
      const e = await daytona.create({ secrets: { X: 'no-such-secret' } }).then(() => null, (x) => x);
      assert.equal(e?.statusCode, 400);
      assert.match(e.message, /Secret no-such-secret does not exist/);
    } finally {
      await sb.delete();
      await daytona.secret.delete(token.id);
      await daytona.secret.delete(other.id);
    }
  });
}
