import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { brotliCompressSync, gzipSync, constants as zlib } from 'node:zlib'

// Pre-compressed copies of the built text assets (name.js.br, name.js.gz),
// written once at build time; the C++ server sends the one the browser
// accepts (src/http/static_files.cpp), so nothing is compressed per request.
function precompress({ minBytes = 1024 } = {}) {
  let outDir = 'dist'
  return {
    name: 'hall-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir
    },
    closeBundle() {
      const walk = (dir) =>
        readdirSync(dir).flatMap((name) => {
          const p = join(dir, name)
          return statSync(p).isDirectory() ? walk(p) : [p]
        })
      for (const file of walk(outDir)) {
        if (!/\.(js|mjs|css|html|svg|json|txt|map|webmanifest)$/.test(file)) continue
        const data = readFileSync(file)
        if (data.length < minBytes) continue
        const br = brotliCompressSync(data, {
          params: {
            [zlib.BROTLI_PARAM_QUALITY]: zlib.BROTLI_MAX_QUALITY,
            [zlib.BROTLI_PARAM_SIZE_HINT]: data.length,
          },
        })
        const gz = gzipSync(data, { level: 9 })
        if (br.length < data.length) writeFileSync(file + '.br', br)
        if (gz.length < data.length) writeFileSync(file + '.gz', gz)
      }
    },
  }
}

// The C++ server serves web/dist at "/" with an SPA fallback, so assets are
// built for base "/" and hashed under dist/assets/.
export default defineConfig({
  base: '/',
  plugins: [
    vue(),
    // Element Plus on demand: each page's chunk imports only the components
    // (and their CSS) it uses, so a student's first page does not download
    // the whole library (issue #11, item 14).
    Components({
      dts: false,
      dirs: [],
      resolvers: [ElementPlusResolver({ importStyle: 'css', directives: true })],
    }),
    precompress(),
  ],
  define: {
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: 'http://127.0.0.1:8080', changeOrigin: false },
    },
  },
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
    chunkSizeWarningLimit: 600,
    rollupOptions: {
      output: {
        // Vue and its router/i18n change rarely: one long-lived chunk. Element
        // Plus is split by rollup along the pages that use each component, and
        // ECharts (the statistics pages only) stays in its own chunk.
        manualChunks(id) {
          if (!id.includes('node_modules')) return undefined
          if (id.includes('echarts') || id.includes('zrender')) return 'echarts'
          if (/node_modules\/(@vue|vue|vue-router|vue-i18n|@intlify)\//.test(id)) return 'vue'
          return undefined
        },
      },
    },
  },
})
