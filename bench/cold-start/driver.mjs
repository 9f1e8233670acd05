// Runs in a fresh Node process: import a rotation handler (bundled .mjs or TypeScript source under
// tsx), run one step, and print how long after the process started each milestone was reached.
// performance.now() counts from the process's time origin, so Node's own boot is included.
const [handlerUrl, event, functionArn] = process.argv.slice(2);
const { handler } = await import(handlerUrl);
const imported = performance.now();
await handler(JSON.parse(event), { invokedFunctionArn: functionArn });
const stepDone = performance.now();
process.stdout.write(`COLDSTART ${JSON.stringify({ imported, stepDone })}\n`);
