// Command keygen writes a throwaway ed25519 key pair for signing demo
// attestations: PRIVATE.pem (PKCS #8) and PRIVATE.pub.pem (PKIX). It keeps a
// key that is already there. For demos only: sign real attestations with a
// key your secret store holds.
package main

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
	"strings"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: keygen PRIVATE.pem")
		os.Exit(2)
	}
	private := os.Args[1]
	public := strings.TrimSuffix(private, ".pem") + ".pub.pem"
	if _, err := os.Stat(private); err == nil {
		return
	}
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err == nil {
		err = write(private, "PRIVATE KEY", priv, x509.MarshalPKCS8PrivateKey, 0o600)
	}
	if err == nil {
		err = write(public, "PUBLIC KEY", pub, x509.MarshalPKIXPublicKey, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "keygen:", err)
		os.Exit(1)
	}
}

func write(path, kind string, key any, marshal func(any) ([]byte, error), mode os.FileMode) error {
	der, err := marshal(key)
	if err != nil {
		return err
	}
	return os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: kind, Bytes: der}), mode)
}
