import adapter from '@sveltejs/adapter-node';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  kit: {
    // Built into console/build; the platform serves its handler on the API's own port
    // (cli/src/console/serve-console.ts). adapter-node's own settings (PORT, HOST, ORIGIN,
    // PROTOCOL_HEADER, …) carry the AFTERCARE_CONSOLE_ prefix, so they never clash with the platform's.
    adapter: adapter({ envPrefix: 'AFTERCARE_CONSOLE_' }),
  },
};

export default config;
