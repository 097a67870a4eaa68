// Drives the official NATS JavaScript services client (@nats-io/services) against a running Ana agent and prints, as
// one JSON object, what it got: ping, info and stats of the service (by name, by name and id, and among all services),
// and how ServiceError reads an Ana error reply. Run by JavaScriptServicesClientTests; arguments:
//   node micro-client.cjs <nats url> <service name> <query subject> <query envelope JSON>
// The instance id is the one the first ping by name returns.
const { connect } = require("@nats-io/transport-node");
const { Svcm, ServiceError } = require("@nats-io/services");

async function collect(request) {
  const replies = [];
  for await (const reply of await request) {
    replies.push(reply);
  }
  return replies;
}

async function main() {
  const [url, name, querySubject, query] = process.argv.slice(2);
  const nc = await connect({ servers: url });
  try {
    // The service's name is unique to the test, so one reply is all there is: the wait is only a hang guard. Among all
    // services nobody knows how many answer: that request waits a fixed time, as `nats micro ls` does.
    const client = new Svcm(nc).client({ strategy: "count", maxMessages: 1, maxWait: 30000 });
    const everyone = new Svcm(nc).client({ strategy: "timer", maxWait: 3000 });
    const ping = await collect(client.ping(name));
    const id = ping.length > 0 ? ping[0].id : "";
    const result = {
      ping,
      pingInstance: await collect(client.ping(name, id)),
      pingAll: (await collect(everyone.ping())).filter((p) => p.id === id),
      info: await collect(client.info(name)),
      infoInstance: await collect(client.info(name, id)),
      stats: await collect(client.stats(name, id)),
    };
    const reply = await nc.request(querySubject, query, { timeout: 10000 });
    const error = ServiceError.toServiceError(reply);
    result.error = {
      isServiceError: ServiceError.isServiceError(reply),
      code: error ? error.code : null,
      message: error ? error.message : null,
      envelope: reply.json(),
    };
    // The server counts a call once its reply is sent, which may be just after this client has it.
    const deadline = Date.now() + 30000;
    do {
      result.statsAfterError = await collect(client.stats(name, id));
    } while (Date.now() < deadline && !result.statsAfterError.some((s) => s.endpoints.some((e) => e.name === "refuse" && e.num_requests > 0)));
    result.infoAll = (await collect(everyone.info())).filter((i) => i.id === id);
    process.stdout.write(JSON.stringify(result) + "\n");
  } finally {
    await nc.close();
  }
}

main().catch((err) => {
  process.stderr.write(String(err && err.stack ? err.stack : err) + "\n");
  process.exit(1);
});
