// rig: reading files from a mounted directory: fopen/fgets/fclose of a text file (an empty line, line count), fread in fixed blocks with short last read, fseek/ftell/rewind/fgetc, a CSV summed with fscanf (the last line has no newline), fopen modes that must fail (a missing file: ENOENT)
// RUNTIME: musl
// MOUNT: files
// STATUS: 0
// STDOUT: "1: The rig reads a file.\n"
// STDOUT: "2: It has four lines,\n"
// STDOUT: "3: \n"
// STDOUT: "4: and one of them is empty.\n"
// STDOUT: "lines 4, empty 1, feof 1\n"
// STDOUT: "after rewind: feof 0, ftell 0, first char 'T'\n"
// STDOUT: "size 68\n"
// STDOUT: "last 6: \"mpty.\n"
// STDOUT: "\"\n"
// STDOUT: "at 4 'r', at 7 ' ', ftell 8\n"
// STDOUT: "fread: 5 blocks, 68 bytes, last block 4, fread at EOF 0\n"
// STDOUT: "fclose 0\n"
// STDOUT: "csv header \"id,value\", 4 rows, sum 1187, last id 4, feof 1\n"
// STDOUT: "missing file: NULL 1, ENOENT 1\n"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
    (void)argc; (void)argv;
    FILE *f = fopen("files/poem.txt", "r");
    if (!f) {
        perror("files/poem.txt");
        return 1;
    }
    char line[128];
    int lines = 0, empty = 0;
    while (fgets(line, sizeof line, f)) {
        lines++;
        empty += strcmp(line, "\n") == 0;
        printf("%d: %s", lines, line);
    }
    printf("lines %d, empty %d, feof %d\n", lines, empty, feof(f) != 0);
    rewind(f);
    int eof = feof(f) != 0;
    long pos = ftell(f);
    int first = fgetc(f);
    printf("after rewind: feof %d, ftell %ld, first char '%c'\n", eof, pos, first);
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    printf("size %ld\n", size);
    fseek(f, -6, SEEK_END);
    printf("last 6: \"%s", fgets(line, sizeof line, f));
    printf("\"\n");
    fseek(f, 4, SEEK_SET);
    int c1 = fgetc(f);
    fseek(f, 2, SEEK_CUR);
    int c2 = fgetc(f);
    printf("at 4 '%c', at 7 '%c', ftell %ld\n", c1, c2, ftell(f));
    rewind(f);
    char block[16];
    size_t n, blocks = 0, total = 0, last = 0;
    while ((n = fread(block, 1, sizeof block, f)) > 0) {
        blocks++;
        total += n;
        last = n;
    }
    n = fread(block, 1, sizeof block, f);
    printf("fread: %zu blocks, %zu bytes, last block %zu, fread at EOF %zu\n", blocks, total, last, n);
    printf("fclose %d\n", fclose(f));

    f = fopen("files/numbers.csv", "r");
    if (!f)
        return 1;
    char header[32];
    if (fscanf(f, "%31s", header) != 1)
        return 1;
    int id, value, rows = 0;
    long sum = 0;
    while (fscanf(f, "%d,%d", &id, &value) == 2) {
        rows++;
        sum += value;
    }
    printf("csv header \"%s\", %d rows, sum %ld, last id %d, feof %d\n", header, rows, sum, id, feof(f) != 0);
    fclose(f);

    errno = 0;
    f = fopen("files/absent.txt", "r");
    printf("missing file: NULL %d, ENOENT %d\n", f == NULL, errno == ENOENT);
    return 0;
}
