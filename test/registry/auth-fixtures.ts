// Accounts of the auth tests. bcrypt hashes made with libxcrypt (python3 crypt):
// alice/s3cret ($2b$) may do everything, bob/readpw ($2y$) may only pull.
export const HTPASSWD = [
  'alice:$2b$05$abcdefghijklmnopqrstuuLK7U1u6pVRmL7L1BBM2aS35PSZnDXlK',
  'bob:$2y$05$zyxwvutsrqponmlkjihgfe6L9ChzHX2imsD1gnS3QbClqLVn94GbK',
  '',
].join('\n');

export const ACCESS = [
  { account: 'alice', repository: '*', actions: ['*'] },
  { account: 'bob', repository: '*', actions: ['pull'] },
];
