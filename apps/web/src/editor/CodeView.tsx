import { useState } from 'react'
import { Highlight, themes } from 'prism-react-renderer'
import { getCompiledCode } from '../api/client.ts'
import { isApiError } from '../api/http.ts'
import { useAsync } from '../hooks/useAsync.ts'
import { CopyButton } from '../ui/CopyButton.tsx'
import { EmptyState, ErrorState, Loading } from '../ui/states.tsx'

/** Display names of the generated files, in tab order. */
const FILE_NAMES: Readonly<Record<string, string>> = {
  workflowCode: 'workflow.ts',
  activitiesCode: 'activities.ts',
  workerCode: 'worker.ts',
  packageJson: 'package.json',
  tsconfigJson: 'tsconfig.json',
}
const ORDER = Object.keys(FILE_NAMES)
const fileName = (key: string) => FILE_NAMES[key] ?? key
const languageOf = (name: string) => (name.endsWith('.json') ? 'json' : 'tsx')

/** Read-only, highlighted code (Prism tokens rendered as React text, never HTML). */
export function CodeBlock({ code, label, language = 'tsx' }: { code: string; label: string; language?: string }) {
  return (
    <Highlight code={code} language={language} theme={themes.github}>
      {({ className, style, tokens, getLineProps, getTokenProps }) => (
        <pre className={`code-block ${className}`} style={style} aria-label={label} tabIndex={0}>
          {tokens.map((line, i) => (
            <div key={i} {...getLineProps({ line })}>
              <span className="code-line-number" aria-hidden="true">
                {i + 1}
              </span>
              {line.map((token, key) => (
                <span key={key} {...getTokenProps({ token })} />
              ))}
            </div>
          ))}
        </pre>
      )}
    </Highlight>
  )
}

/** The Code tab: the generated TypeScript of the deployed version, one tab per file. */
export function CodeView({ orgId, workflowId, refreshKey }: { orgId: string; workflowId: string; refreshKey: number }) {
  const compiled = useAsync((signal) => getCompiledCode(orgId, workflowId, signal), [orgId, workflowId, refreshKey])
  const [file, setFile] = useState('workflowCode')

  if (compiled.loading && compiled.data === undefined) return <Loading label="Loading generated code…" />
  if (isApiError(compiled.error, 404)) {
    return (
      <EmptyState title="Not deployed yet">
        <p>Deploy the workflow to generate its TypeScript code.</p>
      </EmptyState>
    )
  }
  if (compiled.error !== undefined) return <ErrorState error={compiled.error} title="Cannot load the generated code" onRetry={compiled.reload} />
  if (compiled.data === undefined) return null
  const rank = (key: string) => (ORDER.includes(key) ? ORDER.indexOf(key) : ORDER.length)
  const files = Object.entries(compiled.data.files).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== '')
  files.sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
  const current = files.find(([name]) => name === file) ?? files[0]
  return (
    <div className="code-view">
      <header className="code-view-header">
        <span>
          Generated code of version <strong>{compiled.data.version}</strong>
          {compiled.data.workflowType !== undefined && (
            <>
              {' '}
              (<code>{compiled.data.workflowType}</code>)
            </>
          )}
          , read-only
        </span>
        <div role="tablist" aria-label="Generated files" className="tabs">
          {files.map(([name]) => (
            <button key={name} type="button" role="tab" aria-selected={current?.[0] === name} onClick={() => setFile(name)}>
              {fileName(name)}
            </button>
          ))}
        </div>
        <span className="spacer" />
        {current !== undefined && <CopyButton text={current[1]} label="Copy code" />}
      </header>
      {current === undefined ? (
        <EmptyState title="No files" />
      ) : (
        <CodeBlock code={current[1]} label={`Generated ${fileName(current[0])}`} language={languageOf(fileName(current[0]))} />
      )}
    </div>
  )
}
