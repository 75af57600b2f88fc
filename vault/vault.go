// Package vault protects personal data (居民身份证号, phone numbers, incomes) at rest, as
// GB/T 39786-2021 level 3 asks: SM4 for confidentiality and keyed SM3 for integrity and for
// the blind indexes that let storage find a row by an exact value without decrypting every
// row. All cryptography on personal data goes through the Sealer interface, so that a
// certified crypto device (密码机) can replace the software implementation later.
//
// The package also masks personal data for screens and checks the shape of ID numbers
// (GB 11643), mobile phone numbers and unified social credit codes (GB 32100).
//
// Keys live outside the database, in a key file named by XIEZUO_KEY_FILE: see LoadKeys.
package vault

import (
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"errors"
	"fmt"
	"hash"
	"sync"

	"github.com/emmansun/gmsm/sm3"
	"github.com/emmansun/gmsm/sm4"

	"xiezuo"
)

// Sealer encrypts personal fields at rest and computes blind indexes for exact lookups.
//
// The field names the column a value belongs to, such as "users.phone". It is bound to the
// sealed value, so a value copied into another column does not open there, and it separates
// the indexes of different columns. Field names are constants of the program; they must not
// contain a NUL byte.
type Sealer interface {
	// Seal encrypts plaintext for the field. Two seals of one value differ.
	Seal(plaintext []byte, field string) ([]byte, error)
	// Open decrypts a value sealed for the field. It returns an error, never a panic, when the
	// value was changed, was sealed for another field or under a key the Sealer does not hold.
	Open(sealed []byte, field string) ([]byte, error)
	// Index returns a keyed digest of the value for the field: equal values of one field give
	// equal indexes, so storage can look a value up by its index. It is 32 bytes long.
	Index(value []byte, field string) []byte
}

// Sizes of keys and of the parts of a sealed value.
const (
	EncKeySize   = 16 // an SM4 key
	IndexKeySize = 32 // an HMAC-SM3 key, as long as an SM3 digest
	AuditKeySize = 32 // the HMAC-SM3 key of the audit log's chain
	IndexSize    = sm3.Size
	NonceSize    = 12
	TagSize      = 16
	// Overhead is how much longer a sealed value is than its plaintext: version byte, key id
	// byte, nonce and tag.
	Overhead = 2 + NonceSize + TagSize
)

// version is the first byte of every sealed value. A new format gets a new version, and Open
// keeps reading the old ones.
const version = 1

// SM4 is the software Sealer: SM4-GCM with a fresh random nonce per value, and HMAC-SM3
// blind indexes.
//
// A sealed value is: 1 version byte, 1 key id byte, 12-byte nonce, ciphertext and 16-byte tag.
// The version byte, the key id byte and the field name are the additional authenticated data.
//
// SM4 seals with its current key and opens with the current key or any older key it holds, so
// that keys can be rotated without re-encrypting everything at once. The index key is not
// rotated: changing it would change every index, and needs a rebuild of the indexes.
//
// An SM4 is safe for concurrent use.
type SM4 struct {
	id       byte
	aeads    map[byte]cipher.AEAD
	indexKey []byte
	// macs holds HMAC-SM3 hashes keyed with indexKey: hmac.New hashes the key and allocates
	// two SM3 states on every call, a cost an import of a million rows pays three million
	// times, while Reset restores the keyed state (saved by SM3's MarshalBinary).
	macs sync.Pool
}

var _ Sealer = (*SM4)(nil)

// Keys are the keys of an SM4 Sealer.
type Keys struct {
	ID    byte            // id of the current encryption key, written in every sealed value
	Enc   []byte          // current SM4 key, 16 bytes
	Index []byte          // HMAC-SM3 key of the blind indexes, 32 bytes
	Old   map[byte][]byte // older SM4 keys by id, to open values sealed before a rotation
	// Audit is the HMAC-SM3 key of the audit log's hash chain, 32 bytes; nil when the key
	// file has none (see AddAuditKey). Kept out of the database so that whoever can write
	// the tables cannot recompute the chain.
	Audit []byte
}

// String describes the keys without showing them, so that a Keys printed or logged by
// mistake leaks nothing.
func (k Keys) String() string {
	return fmt.Sprintf("vault.Keys{ID: %d, %d old keys}", k.ID, len(k.Old))
}

// GoString is String for the %#v verb.
func (k Keys) GoString() string { return k.String() }

// NewSM4 returns a Sealer with the given keys. It checks their sizes and that no old key
// reuses the current id.
func NewSM4(keys Keys) (*SM4, error) {
	if len(keys.Enc) != EncKeySize {
		return nil, xiezuo.Errorf(xiezuo.EINVALID, "加密密钥应为 %d 字节，实际为 %d 字节", EncKeySize, len(keys.Enc))
	}
	if len(keys.Index) != IndexKeySize {
		return nil, xiezuo.Errorf(xiezuo.EINVALID, "索引密钥应为 %d 字节，实际为 %d 字节", IndexKeySize, len(keys.Index))
	}
	s := &SM4{id: keys.ID, aeads: make(map[byte]cipher.AEAD, 1+len(keys.Old)), indexKey: append([]byte(nil), keys.Index...)}
	s.macs.New = func() any { return hmac.New(sm3.New, s.indexKey) }
	aead, err := newGCM(keys.Enc)
	if err != nil {
		return nil, err
	}
	s.aeads[keys.ID] = aead
	for id, key := range keys.Old {
		if id == keys.ID {
			return nil, xiezuo.Errorf(xiezuo.EINVALID, "旧密钥编号 %d 与当前密钥编号相同", id)
		}
		if len(key) != EncKeySize {
			return nil, xiezuo.Errorf(xiezuo.EINVALID, "旧密钥 %d 应为 %d 字节，实际为 %d 字节", id, EncKeySize, len(key))
		}
		if s.aeads[id], err = newGCM(key); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// newGCM returns SM4-GCM with a 12-byte nonce and a 16-byte tag. Since Go 1.24 crypto/cipher
// only optimises GCM for AES and runs a generic GHASH for other ciphers, so the GCM that gmsm
// provides for its own block (assembly, constant-time GHASH where the processor allows) is
// taken when there is one. Both compute the same standard GCM.
func newGCM(key []byte) (cipher.AEAD, error) {
	block, err := sm4.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("new sm4 cipher: %w", err)
	}
	if b, ok := block.(interface {
		NewGCM(nonceSize, tagSize int) (cipher.AEAD, error)
	}); ok {
		if aead, err := b.NewGCM(NonceSize, TagSize); err == nil {
			return aead, nil
		}
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("new sm4 gcm: %w", err)
	}
	return aead, nil
}

// String describes the Sealer without showing its keys.
func (s *SM4) String() string { return fmt.Sprintf("vault.SM4{key id %d}", s.id) }

// additionalData returns what a sealed value authenticates besides its ciphertext.
func additionalData(v, id byte, field string) []byte {
	ad := make([]byte, 0, 2+len(field))
	ad = append(ad, v, id)
	return append(ad, field...)
}

// Seal encrypts plaintext for the field with the current key.
func (s *SM4) Seal(plaintext []byte, field string) ([]byte, error) {
	out := make([]byte, 2+NonceSize, Overhead+len(plaintext))
	out[0], out[1] = version, s.id
	if _, err := rand.Read(out[2:]); err != nil {
		return nil, fmt.Errorf("seal %s: nonce: %w", field, err)
	}
	return s.aeads[s.id].Seal(out, out[2:], plaintext, additionalData(version, s.id, field)), nil
}

// errOpen is the one failure of authentication: a changed value, another field and a wrong key
// look alike to GCM and are not told apart.
var errOpen = errors.New("message authentication failed (changed, sealed for another field, or under another key)")

// Open decrypts a value sealed for the field.
func (s *SM4) Open(sealed []byte, field string) ([]byte, error) {
	if len(sealed) < Overhead {
		return nil, fmt.Errorf("open %s: sealed value of %d bytes is too short", field, len(sealed))
	}
	if sealed[0] != version {
		return nil, fmt.Errorf("open %s: unknown format version %d", field, sealed[0])
	}
	aead, ok := s.aeads[sealed[1]]
	if !ok {
		return nil, fmt.Errorf("open %s: unknown key id %d", field, sealed[1])
	}
	nonce, ciphertext := sealed[2:2+NonceSize], sealed[2+NonceSize:]
	plaintext, err := aead.Open(nil, nonce, ciphertext, additionalData(sealed[0], sealed[1], field))
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", field, errOpen)
	}
	return plaintext, nil
}

// Index returns HMAC-SM3 over field, a NUL byte and value, keyed with the index key.
//
// Equal values give equal indexes, so callers normalise a value first (NormalizePhone,
// NormalizeID) and index the normal form.
func (s *SM4) Index(value []byte, field string) []byte {
	m := s.macs.Get().(hash.Hash)
	m.Reset()
	m.Write([]byte(field))
	m.Write([]byte{0})
	m.Write(value)
	sum := m.Sum(make([]byte, 0, IndexSize))
	s.macs.Put(m)
	return sum
}
