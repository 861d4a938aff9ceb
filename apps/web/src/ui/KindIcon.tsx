import {
  Bell, Bot, Box, Clock, Flag, GitBranch, GitFork, Globe, ListOrdered, Merge, Play, Repeat, Shuffle, Split, Timer, Webhook, Workflow,
  type LucideIcon,
} from 'lucide-react'

// Only the icons the node kinds name, so the bundle does not carry the whole icon set.
const ICONS: Readonly<Record<string, LucideIcon>> = {
  bell: Bell, bot: Bot, clock: Clock, flag: Flag, 'git-branch': GitBranch, 'git-fork': GitFork, globe: Globe, 'list-ordered': ListOrdered, merge: Merge,
  play: Play, repeat: Repeat, shuffle: Shuffle, split: Split, timer: Timer, webhook: Webhook, workflow: Workflow,
}

/** The lucide icon a node kind names (`descriptor.icon`), or a box for unknown names. Decorative. */
export function KindIcon({ icon, size = 16 }: { icon: string | undefined; size?: number }) {
  const Icon = (icon === undefined ? undefined : ICONS[icon]) ?? Box
  return <Icon size={size} aria-hidden="true" focusable="false" />
}
