// Names of the codes the API uses, as people read them: group levels
// ("Group 3", never G3), topics, formats. Asked once a page.
import { api } from '/assets/api.mjs';

let lists = null;

function load() {
  lists ??= Promise.all([api('GET', '/api/v1/group-levels'), api('GET', '/api/v1/topics')])
    .then(([levels, topics]) => ({
      levels: new Map((levels.json?.group_levels ?? []).map((l) => [l.code, l.name])),
      topics: new Map((topics.json?.topics ?? []).map((t) => [t.code, t.name])),
    }));
  return lists;
}

// {level(code), levels([codes]), topic(code)}: names, or the code itself
// when the scheme has no such level.
export async function names() {
  const { levels, topics } = await load();
  const level = (code) => (code ? levels.get(code) ?? code : '');
  return {
    level,
    levels: (codes) => listOf(codes.map(level)),
    topic: (code) => topics.get(code) ?? code,
    all: { levels, topics },
  };
}

// "Group 2, Group 3 and Group 4".
export function listOf(items) {
  return items.length > 1 ? `${items.slice(0, -1).join(', ')} and ${items.at(-1)}` : (items[0] ?? '');
}

// Sectors of agencies (app/agency.c's codes), as people name them.
export const SECTORS = {
  education: 'Education', early_years: 'Early years', childrens_social_care: "Children's social care",
  health: 'Health', police: 'Police', probation: 'Probation', housing: 'Housing',
  voluntary_community: 'Voluntary and community', independent: 'Independent', faith: 'Faith', other: 'Other',
};
// Settings' phases, as people name them (never alternative_provision).
export const PHASES = {
  nursery: 'Nursery', primary: 'Primary', secondary: 'Secondary', special: 'Special', pru: 'Pupil referral unit',
  alternative_provision: 'Alternative provision', college: 'College',
};
// The sectors whose agencies are settings with a phase.
export const PHASED = ['education', 'early_years'];
