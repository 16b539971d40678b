import { join } from 'node:path';
import { paths, SERVICE_NAMES, startDemoServices, type ServiceName } from './demo-services.js';
import { ServiceStartError, type ServiceProcess } from './service-process.js';

/**
 * Starts the services and prints where each runs; on a failure, names every service that did
 * not start, with the end of its output, and ends the demo through `fail`.
 *
 * @param examplesDirectory - the folder of the built examples
 * @param directory - the run's directory
 * @param otlpUrl - the OTLP receiver
 * @param print - where lines go
 * @param fail - ends the demo with a message
 * @returns the running services
 */
export async function startServices(
  examplesDirectory: string,
  directory: string,
  otlpUrl: string,
  print: (line: string) => void,
  fail: (message: string) => never,
): Promise<Record<ServiceName, ServiceProcess>> {
  try {
    const services = await startDemoServices(examplesDirectory, directory, otlpUrl);
    for (const name of SERVICE_NAMES)
      print(
        `  ${name.padEnd(18)} ${services[name].url}  pid ${services[name].child.pid}  log ${paths(directory).log(name)}`,
      );
    return services;
  } catch (error) {
    const failures = error instanceof AggregateError ? error.errors : [error];
    for (const failure of failures) {
      if (failure instanceof ServiceStartError)
        print(`✖ ${failure.message}\n${failure.output.replace(/^/gm, `    ${failure.service} | `)}`);
      else print(`✖ ${(failure as Error).message}`);
    }
    const names = failures.map((failure) => (failure instanceof ServiceStartError ? failure.service : 'a service'));
    return fail(
      `${names.join(', ')} failed to start (built? npm run demo builds them; their output is in ${join(directory, 'logs')})`,
    );
  }
}

/**
 * Stops the services: the strategy engine first (no new orders), then the others, each with
 * SIGTERM and its graceful shutdown (logs, spans and the audit trail flushed).
 *
 * @param services - the running services
 * @returns the names of those that did not end cleanly
 */
export async function stopServices(services: Record<ServiceName, ServiceProcess>): Promise<string[]> {
  const unclean: string[] = [];
  if (!(await services['strategy-engine'].stop())) unclean.push('strategy-engine');
  const others = SERVICE_NAMES.filter((name) => name !== 'strategy-engine');
  const results = await Promise.all(others.map((name) => services[name].stop()));
  results.forEach((clean, index) => {
    if (!clean) unclean.push(others[index]!);
  });
  return unclean;
}
