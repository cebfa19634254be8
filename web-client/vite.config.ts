import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));
/** The signaling server; in production it serves web-client/dist itself. */
const signaling = 'http://127.0.0.1:3000';

export default defineConfig({
  root,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // No source maps in the production bundle: they would publish the sources with it.
    sourcemap: false,
    rolldownOptions: {
      output: {
        // Libraries change far less often than the app: separate chunks stay cached across deploys.
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
            { name: 'ui-libs', test: /node_modules[\\/](react-router|i18next|react-i18next|zustand|use-sync-external-store|cookie|set-cookie-parser)[\\/]/ },
            // Only the replay page plays HLS: its player stays out of the lecture pages' download.
            { name: 'hls', test: /node_modules[\\/]hls\.js[\\/]/ },
            { name: 'media', test: /node_modules[\\/]/ },
          ],
        },
      },
    },
  },
  server: {
    proxy: {
      '/socket.io': { target: signaling, ws: true },
      '/api': { target: signaling },
    },
  },
});
