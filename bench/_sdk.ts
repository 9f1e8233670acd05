import http from 'node:http';
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { LOCAL_CREDENTIALS } from '../src/local/credentials.ts';
import { startServers } from './servers-client.ts';

const servers = await startServers();
const sm = new SecretsManagerClient({
  endpoint: servers.ready.endpoint,
  region: 'us-east-1',
  credentials: LOCAL_CREDENTIALS,
  cacheMiddleware: Boolean(process.env.CACHE),
});
for (const name of (process.env.REMOVE ?? '').split(',').filter(Boolean)) sm.middlewareStack.remove(name);
const c = await sm.send(new CreateSecretCommand({ Name: `x/${Date.now()}`, SecretString: '{}' }));
const N = Number(process.env.N ?? 500);
for (let i = 0; i < 50; i++) await sm.send(new DescribeSecretCommand({ SecretId: c.ARN }));
let t = process.cpuUsage();
for (let i = 0; i < N; i++) await sm.send(new DescribeSecretCommand({ SecretId: c.ARN }));
let u = process.cpuUsage(t);
console.log(
  'SDK DescribeSecret CPU/call ms',
  ((u.user + u.system) / 1000 / N).toFixed(3),
  'user',
  (u.user / 1000 / N).toFixed(3),
);
const agent = new http.Agent({ keepAlive: true });
const url = new URL(servers.ready.endpoint);
const raw = () =>
  new Promise<void>((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: 'POST',
        path: '/_rotor/nothing',
        agent,
        headers: { 'content-type': 'application/x-amz-json-1.1' },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve());
      },
    );
    req.on('error', reject);
    req.end('{}');
  });
if (process.env.NORAW) {
  await servers.close();
  process.exit(0);
}
for (let i = 0; i < 50; i++) await raw();
t = process.cpuUsage();
for (let i = 0; i < N; i++) await raw();
u = process.cpuUsage(t);
console.log('raw http request CPU/call ms', ((u.user + u.system) / 1000 / N).toFixed(3));
await servers.close();
