/* selftest: defines crc32(), the zlib function the kit's to-do system
   checks its files with: the test binary links zlib, so the name is
   refused like any name of the C library.
   base: stub
   expect: build
   others: none */
unsigned long crc32(unsigned long crc, const unsigned char *buf, unsigned len);
unsigned long crc32(unsigned long crc, const unsigned char *buf, unsigned len)
{
    (void)buf;
    (void)len;
    return crc;
}
