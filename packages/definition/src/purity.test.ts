// This package runs in the browser and in the Temporal workflow sandbox: no Node built-ins, no
// I/O, and only dependencies that are themselves sandbox-safe. (The test itself runs in Node.)
import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const srcDir = dirname(fileURLToPath(import.meta.url))
const ALLOWED_PACKAGES = ['typebox', 'typebox/compile', 'typebox/value', 'typebox/system', 'typebox/error', 'jsonata', 'cron-parser/dist/CronExpressionParser.js', 'safe-regex2']

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(path)
    const isSource =
      entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') && !entry.name.endsWith('.test.ts') && entry.name !== 'test-support.ts'
    return isSource ? [path] : []
  })
}

const withoutComments = (code: string): string => code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '')

function specifiers(code: string): string[] {
  const statements = /^\s*(?:import|export)\s+(?:[\w*{}\s,]+?\s+from\s+)?['"]([^'"]+)['"]/gm
  return [...withoutComments(code).matchAll(statements)].map((match) => match[1] as string)
}

describe('package purity', () => {
  const files = sourceFiles(srcDir)

  it('finds the imports it checks', () => {
    expect(specifiers(readFileSync(join(srcDir, 'expressions.ts'), 'utf8'))).toEqual(['jsonata'])
    expect(specifiers(readFileSync(join(srcDir, 'index.ts'), 'utf8'))).toContain('./schema.ts')
  })

  it.each(files.map((file) => [file.slice(srcDir.length + 1), file]))('%s imports only sandbox-safe modules', (_, file) => {
    const code = readFileSync(file, 'utf8')
    for (const specifier of specifiers(code)) {
      if (specifier.startsWith('.')) continue
      expect(ALLOWED_PACKAGES, `${specifier} in ${file}`).toContain(specifier)
    }
    expect(withoutComments(code)).not.toMatch(/\bprocess\.|\brequire\(|\bBuffer\b|\bfetch\(/)
  })

  it('loads a cron parser that never requires a Node built-in', () => {
    const require = createRequire(import.meta.url)
    const seen = new Set<string>()
    const external = new Set<string>()
    const visit = (file: string): void => {
      if (seen.has(file)) return
      seen.add(file)
      for (const [, request] of readFileSync(file, 'utf8').matchAll(/require\(["']([^"']+)["']\)/g)) {
        if (request === undefined) continue
        if (request.startsWith('.')) visit(require.resolve(resolve(dirname(file), request)))
        else external.add(request)
      }
    }
    visit(require.resolve('cron-parser/dist/CronExpressionParser.js'))
    expect([...external]).toEqual(['luxon'])
  })
})
