import { matchesEventPattern, UnsupportedPatternError } from './event-pattern-matcher';

// The matcher is only as good as its agreement with EventBridge: these cases are the examples of
// the EventBridge user guide and the Event Ruler README, with the results they document.
describe('matchesEventPattern', () => {
  const ec2Event = {
    version: '0',
    'detail-type': 'EC2 Instance State-change Notification',
    source: 'aws.ec2',
    time: '2017-10-02T16:24:49Z',
    resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000'],
    detail: { 'c-count': 5, 'd-count': 3, 'x-limit': 301.8, state: 'running' },
  };

  it('ANDs fields and ORs the values listed for a field', () => {
    expect(matchesEventPattern({ source: ['aws.ec2'], detail: { state: ['initializing', 'running'] } }, ec2Event)).toBe(true);
    expect(matchesEventPattern({ source: ['aws.ec2'], detail: { state: ['stopped'] } }, ec2Event)).toBe(false);
    expect(matchesEventPattern({ source: ['aws.s3'], detail: { state: ['running'] } }, ec2Event)).toBe(false);
  });

  it('matches an event array when any element matches', () => {
    const event = { resources: ['arn:aws:autoscaling:x', 'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f'] };
    expect(matchesEventPattern({ resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f'] }, event)).toBe(true);
    expect(matchesEventPattern({ resources: ['arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f'] }, event)).toBe(false);
  });

  it('fails a field the event does not have', () => {
    expect(matchesEventPattern({ detail: { missing: ['x'] } }, ec2Event)).toBe(false);
    expect(matchesEventPattern({ detail: { missing: [{ 'anything-but': 'x' }] } }, ec2Event)).toBe(false);
  });

  it('supports prefix, suffix and equals-ignore-case', () => {
    expect(matchesEventPattern({ time: [{ prefix: '2017-10-02' }] }, ec2Event)).toBe(true);
    expect(matchesEventPattern({ time: [{ prefix: '2017-10-03' }] }, ec2Event)).toBe(false);
    expect(matchesEventPattern({ source: [{ suffix: 'ec2' }] }, ec2Event)).toBe(true);
    expect(matchesEventPattern({ source: [{ 'equals-ignore-case': 'AWS.EC2' }] }, ec2Event)).toBe(true);
    expect(matchesEventPattern({ source: [{ prefix: { 'equals-ignore-case': 'AWS.' } }] }, ec2Event)).toBe(true);
  });

  it('supports anything-but with a value, a list and a prefix', () => {
    expect(matchesEventPattern({ detail: { state: [{ 'anything-but': 'initializing' }] } }, ec2Event)).toBe(true);
    expect(matchesEventPattern({ detail: { state: [{ 'anything-but': ['stopped', 'running'] }] } }, ec2Event)).toBe(false);
    expect(matchesEventPattern({ detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } }, ec2Event)).toBe(true);
    expect(matchesEventPattern({ detail: { state: [{ 'anything-but': { prefix: 'init' } }] } }, ec2Event)).toBe(true);
    expect(matchesEventPattern({ detail: { state: [{ 'anything-but': { prefix: 'run' } }] } }, ec2Event)).toBe(false);
  });

  it('applies anything-but to each element of an event array', () => {
    expect(matchesEventPattern({ codes: [{ 'anything-but': 0 }] }, { codes: [1, 0] })).toBe(true);
    expect(matchesEventPattern({ codes: [{ 'anything-but': 0 }] }, { codes: [0, 0] })).toBe(false);
  });

  it('supports numeric ranges', () => {
    const pattern = { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }], 'x-limit': [{ numeric: ['=', 3.018e2] }] } };
    expect(matchesEventPattern(pattern, ec2Event)).toBe(true);
    expect(matchesEventPattern({ detail: { 'd-count': [{ numeric: ['>=', 10] }] } }, ec2Event)).toBe(false);
  });

  it('treats exists as presence of a leaf (an object counts as absent)', () => {
    expect(matchesEventPattern({ detail: { 'c-count': [{ exists: true }] } }, ec2Event)).toBe(true);
    expect(matchesEventPattern({ detail: { 'c-count': [{ exists: false }] } }, ec2Event)).toBe(false);
    expect(matchesEventPattern({ detail: { 'e-count': [{ exists: false }] } }, ec2Event)).toBe(true);
    // The user guide's example: c-count is an object here, not a leaf, so exists:false matches.
    const objectValued = { detail: { state: 'running', 'c-count': { c1: 100 } } };
    expect(matchesEventPattern({ detail: { 'c-count': [{ exists: false }] } }, objectValued)).toBe(true);
  });

  it('matches nested patterns inside one element of an array of objects', () => {
    const event = {
      employees: [
        { firstName: 'John', lastName: 'Doe' },
        { firstName: 'Anna', lastName: 'Smith' },
        { firstName: 'Peter', lastName: 'Jones' },
      ],
    };
    expect(matchesEventPattern({ employees: { firstName: ['Anna'] } }, event)).toBe(true);
    expect(matchesEventPattern({ employees: { firstName: ['Anna'], lastName: ['Smith'] } }, event)).toBe(true);
    // Event Ruler README: "Anna"/"Jones" are in different elements, so no match.
    expect(matchesEventPattern({ employees: { firstName: ['Anna'], lastName: ['Jones'] } }, event)).toBe(false);
  });

  it('checks exists:false inside an array across all elements', () => {
    const pattern = { containers: { exitCode: [{ exists: false }] } };
    expect(matchesEventPattern(pattern, { containers: [{ name: 'a' }, { name: 'b' }] })).toBe(true);
    expect(matchesEventPattern(pattern, { containers: [{ name: 'a', exitCode: 1 }, { name: 'b' }] })).toBe(false);
    expect(matchesEventPattern(pattern, {})).toBe(true);
  });

  it('supports $or at any level (Event Ruler README examples)', () => {
    const pattern = {
      source: ['aws.cloudwatch'],
      $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }],
    };
    expect(matchesEventPattern(pattern, { source: 'aws.cloudwatch', namespace: 'AWS/EC2' })).toBe(true);
    expect(matchesEventPattern(pattern, { source: 'aws.cloudwatch', metricName: 'ReadLatency' })).toBe(true);
    expect(matchesEventPattern(pattern, { source: 'aws.cloudwatch', namespace: 'AWS/Lambda' })).toBe(false);
    const nested = {
      detail: { $or: [{ a: ['1'], b: ['2'] }, { c: [{ exists: false }] }] },
    };
    expect(matchesEventPattern(nested, { detail: { a: '1', b: '2', c: 'x' } })).toBe(true);
    expect(matchesEventPattern(nested, { detail: { a: '1', b: '3' } })).toBe(true);
    expect(matchesEventPattern(nested, { detail: { a: '1', b: '3', c: 'x' } })).toBe(false);
  });

  // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html#eb-filtering-wildcard-matching
  it('supports wildcard: * for any run of characters, \\* for a star, case-sensitive, whole value', () => {
    expect(matchesEventPattern({ source: [{ wildcard: 'aws.*' }] }, ec2Event)).toBe(true);
    expect(matchesEventPattern({ source: [{ wildcard: 'AWS.*' }] }, ec2Event)).toBe(false);
    expect(matchesEventPattern({ detail: { state: [{ wildcard: '*unn*' }] } }, ec2Event)).toBe(true);
    expect(matchesEventPattern({ detail: { state: [{ wildcard: 'run' }] } }, ec2Event)).toBe(false);
    expect(matchesEventPattern({ detail: { state: [{ wildcard: 'run\\*' }] } }, { detail: { state: 'run*' } })).toBe(true);
    expect(matchesEventPattern({ detail: { state: [{ wildcard: 'run\\*' }] } }, { detail: { state: 'running' } })).toBe(false);
    expect(matchesEventPattern({ detail: { 'c-count': [{ wildcard: '*' }] } }, ec2Event)).toBe(false);
  });

  it('refuses operators it does not implement instead of guessing', () => {
    expect(() => matchesEventPattern({ source: [{ cidr: '10.0.0.0/24' }] }, ec2Event)).toThrow(UnsupportedPatternError);
    expect(() => matchesEventPattern({ $or: [{ source: ['x'] }] }, ec2Event)).toThrow(UnsupportedPatternError);
    expect(() => matchesEventPattern({ source: [] }, ec2Event)).toThrow(UnsupportedPatternError);
  });
});
