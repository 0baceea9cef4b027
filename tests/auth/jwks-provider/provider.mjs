// Test-only JWKS/OIDC provider driven over stdin/stdout (see README.md).
//
// oauth2-mock-server's OAuth2Issuer + OAuth2Service do all the OIDC work
// (discovery document, JWKS body, token signing). OAuth2Server keeps its
// http.Server private, so we put our own node:http server in front of the
// service's request handler; that wrapper counts JWKS hits, adds the
// Cache-Control header and simulates outages. The library's key store cannot
// remove keys, so "rotate drop" switches to a fresh issuer holding only the
// new key.
import { createServer } from 'node:http';
import { createInterface } from 'node:readline';
import { OAuth2Issuer, OAuth2Service } from 'oauth2-mock-server';

const JWKS_PATH = '/jwks'; // oauth2-mock-server's default JWKS endpoint

let issuerUrl; // set once listening: http://127.0.0.1:PORT
let service = newService();
let signingKid; // kid of the newest key; every token is signed with it
let jwksHits = 0;
let jwksCacheControl; // undefined: no Cache-Control header
let jwksFailing = false;

function newService() {
  const issuer = new OAuth2Issuer();
  issuer.url = issuerUrl;
  return new OAuth2Service(issuer);
}

const server = createServer((req, res) => {
  const path = new URL(req.url, 'http://x').pathname;
  if (req.method === 'GET' && path === JWKS_PATH) {
    jwksHits += 1;
    if (jwksFailing) {
      res.writeHead(503, { 'Content-Type': 'text/plain' }).end('JWKS unavailable\n');
      return;
    }
    if (jwksCacheControl !== undefined) res.setHeader('Cache-Control', jwksCacheControl);
  }
  service.requestHandler(req, res);
});

function reply(line) {
  process.stdout.write(`${line}\n`);
}

async function handle(line) {
  const cmd = line.trim();
  const space = cmd.indexOf(' ');
  const verb = space < 0 ? cmd : cmd.slice(0, space);
  const arg = space < 0 ? '' : cmd.slice(space + 1).trim();

  switch (verb) {
    case '':
      return;
    case 'token': {
      const claims = JSON.parse(arg || '{}');
      if (claims === null || typeof claims !== 'object' || Array.isArray(claims)) {
        throw new Error('token needs a JSON object of claims');
      }
      const jwt = await service.issuer.buildToken({
        kid: signingKid,
        // Runs after the defaults (iss, iat, exp, nbf) are filled in, so the
        // caller's claims win; a claim given as null is removed instead.
        scopesOrTransform: (_header, payload) => {
          for (const [name, value] of Object.entries(claims)) {
            if (value === null) delete payload[name];
            else payload[name] = value;
          }
        },
      });
      reply(`token ${jwt}`);
      return;
    }
    case 'rotate': {
      if (arg !== '' && arg !== 'drop') throw new Error(`rotate takes no argument or "drop", got "${arg}"`);
      if (arg === 'drop') service = newService();
      const key = await service.issuer.keys.generate('RS256');
      signingKid = key.kid;
      reply(`rotated ${signingKid}`);
      return;
    }
    case 'jwks-hits':
      reply(`jwks-hits ${jwksHits}`);
      return;
    case 'cache-control':
      if (arg === '') throw new Error('cache-control needs a value');
      jwksCacheControl = arg;
      reply('ok');
      return;
    case 'fail-jwks':
      if (arg !== 'on' && arg !== 'off') throw new Error('fail-jwks takes "on" or "off"');
      jwksFailing = arg === 'on';
      reply('ok');
      return;
    case 'quit':
      process.exit(0);
    default:
      throw new Error(`unknown command "${verb}"`);
  }
}

signingKid = (await service.issuer.keys.generate('RS256')).kid;
await new Promise((resolve, reject) => {
  server.once('error', reject);
  server.listen(0, '127.0.0.1', resolve);
});
issuerUrl = `http://127.0.0.1:${server.address().port}`;
service.issuer.url = issuerUrl;
reply(`ready ${issuerUrl}`);

// One command at a time, in order; each gets exactly one answer line.
for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  try {
    await handle(line);
  } catch (err) {
    reply(`error ${String(err.message ?? err).replace(/\s+/g, ' ')}`);
  }
}
process.exit(0); // stdin closed
