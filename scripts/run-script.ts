/**
 * The entry point every build script shares: when the file is run directly (`npx tsx scripts/…`),
 * call its `main` with the command-line arguments, print the JSON it returns on stdout, and exit
 * 2 on a usage error (CliError, its message) or 1 on any other error (its stack). Importing the
 * file (from a test or another script) runs nothing.
 */
import { pathToFileURL } from 'node:url';
import { CliError } from '../src/cli/args';

export function runScript(moduleUrl: string, main: (argv: string[]) => unknown): void {
  if (moduleUrl !== pathToFileURL(process.argv[1] ?? '').href) return;
  Promise.resolve()
    .then(() => main(process.argv.slice(2)))
    .then(
      (result) => console.log(JSON.stringify(result, null, 1)),
      (e) => {
        console.error(e instanceof CliError ? `usage error: ${e.message}` : (e as Error).stack);
        process.exit(e instanceof CliError ? 2 : 1);
      },
    );
}
