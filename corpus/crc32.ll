; rig: CRC-32 (reflected, poly 0xEDB88320) with a 256-entry rodata table, over constant strings found through a pointer table, a bss scratch buffer and a running global state
; CALL: crc32_check() == -873187034
; CALL: crc32_str(0) == -873187034
; CALL: crc32_str(1) == 1095738169
; CALL: crc32_str(2) == 0
; CALL: crc32_str(3) == 1359810855
; CALL: crc32_pattern(0) == 0
; CALL: crc32_pattern(1) == 1259060791
; CALL: crc32_pattern(16) == 421477791
; CALL: crc32_pattern(256) == 2021806649
; CALL: crc32_pattern(1000) == 2021806649
; CALL: crc32_update(97) == -390611389
; CALL: crc32_update(98) == -1635563411
; CALL: crc32_update(99) == 891568578
; RELOC: static pic

@crc_table = internal constant [256 x i32] [
  i32 0, i32 1996959894, i32 -301047508, i32 -1727442502, i32 124634137, i32 1886057615, i32 -379345611, i32 -1637575261,
  i32 249268274, i32 2044508324, i32 -522852066, i32 -1747789432, i32 162941995, i32 2125561021, i32 -407360249, i32 -1866523247,
  i32 498536548, i32 1789927666, i32 -205950648, i32 -2067906082, i32 450548861, i32 1843258603, i32 -187386543, i32 -2083289657,
  i32 325883990, i32 1684777152, i32 -43845254, i32 -1973040660, i32 335633487, i32 1661365465, i32 -99664541, i32 -1928851979,
  i32 997073096, i32 1281953886, i32 -715111964, i32 -1570279054, i32 1006888145, i32 1258607687, i32 -770865667, i32 -1526024853,
  i32 901097722, i32 1119000684, i32 -608450090, i32 -1396901568, i32 853044451, i32 1172266101, i32 -589951537, i32 -1412350631,
  i32 651767980, i32 1373503546, i32 -925412992, i32 -1076862698, i32 565507253, i32 1454621731, i32 -809855591, i32 -1195530993,
  i32 671266974, i32 1594198024, i32 -972236366, i32 -1324619484, i32 795835527, i32 1483230225, i32 -1050600021, i32 -1234817731,
  i32 1994146192, i32 31158534, i32 -1731059524, i32 -271249366, i32 1907459465, i32 112637215, i32 -1614814043, i32 -390540237,
  i32 2013776290, i32 251722036, i32 -1777751922, i32 -519137256, i32 2137656763, i32 141376813, i32 -1855689577, i32 -429695999,
  i32 1802195444, i32 476864866, i32 -2056965928, i32 -228458418, i32 1812370925, i32 453092731, i32 -2113342271, i32 -183516073,
  i32 1706088902, i32 314042704, i32 -1950435094, i32 -54949764, i32 1658658271, i32 366619977, i32 -1932296973, i32 -69972891,
  i32 1303535960, i32 984961486, i32 -1547960204, i32 -725929758, i32 1256170817, i32 1037604311, i32 -1529756563, i32 -740887301,
  i32 1131014506, i32 879679996, i32 -1385723834, i32 -631195440, i32 1141124467, i32 855842277, i32 -1442165665, i32 -586318647,
  i32 1342533948, i32 654459306, i32 -1106571248, i32 -921952122, i32 1466479909, i32 544179635, i32 -1184443383, i32 -832445281,
  i32 1591671054, i32 702138776, i32 -1328506846, i32 -942167884, i32 1504918807, i32 783551873, i32 -1212326853, i32 -1061524307,
  i32 -306674912, i32 -1698712650, i32 62317068, i32 1957810842, i32 -355121351, i32 -1647151185, i32 81470997, i32 1943803523,
  i32 -480048366, i32 -1805370492, i32 225274430, i32 2053790376, i32 -468791541, i32 -1828061283, i32 167816743, i32 2097651377,
  i32 -267414716, i32 -2029476910, i32 503444072, i32 1762050814, i32 -144550051, i32 -2140837941, i32 426522225, i32 1852507879,
  i32 -19653770, i32 -1982649376, i32 282753626, i32 1742555852, i32 -105259153, i32 -1900089351, i32 397917763, i32 1622183637,
  i32 -690576408, i32 -1580100738, i32 953729732, i32 1340076626, i32 -776247311, i32 -1497606297, i32 1068828381, i32 1219638859,
  i32 -670225446, i32 -1358292148, i32 906185462, i32 1090812512, i32 -547295293, i32 -1469587627, i32 829329135, i32 1181335161,
  i32 -882789492, i32 -1134132454, i32 628085408, i32 1382605366, i32 -871598187, i32 -1156888829, i32 570562233, i32 1426400815,
  i32 -977650754, i32 -1296233688, i32 733239954, i32 1555261956, i32 -1026031705, i32 -1244606671, i32 752459403, i32 1541320221,
  i32 -1687895376, i32 -328994266, i32 1969922972, i32 40735498, i32 -1677130071, i32 -351390145, i32 1913087877, i32 83908371,
  i32 -1782625662, i32 -491226604, i32 2075208622, i32 213261112, i32 -1831694693, i32 -438977011, i32 2094854071, i32 198958881,
  i32 -2032938284, i32 -237706686, i32 1759359992, i32 534414190, i32 -2118248755, i32 -155638181, i32 1873836001, i32 414664567,
  i32 -2012718362, i32 -15766928, i32 1711684554, i32 285281116, i32 -1889165569, i32 -127750551, i32 1634467795, i32 376229701,
  i32 -1609899400, i32 -686959890, i32 1308918612, i32 956543938, i32 -1486412191, i32 -799009033, i32 1231636301, i32 1047427035,
  i32 -1362007478, i32 -640263460, i32 1088359270, i32 936918000, i32 -1447252397, i32 -558129467, i32 1202900863, i32 817233897,
  i32 -1111625188, i32 -893730166, i32 1404277552, i32 615818150, i32 -1160759803, i32 -841546093, i32 1423857449, i32 601450431,
  i32 -1285129682, i32 -1000256840, i32 1567103746, i32 711928724, i32 -1274298825, i32 -1022587231, i32 1510334235, i32 755167117
], align 4

@s0 = private unnamed_addr constant [10 x i8] c"123456789\00"
@s1 = private unnamed_addr constant [44 x i8] c"The quick brown fox jumps over the lazy dog\00"
@s2 = private unnamed_addr constant [1 x i8] zeroinitializer
@s3 = private unnamed_addr constant [28 x i8] c"rig: relocations everywhere\00"
@strings = constant [4 x ptr] [ptr @s0, ptr @s1, ptr @s2, ptr @s3]

@scratch = internal global [256 x i8] zeroinitializer, align 1
@running = global i32 -1, align 4

declare i64 @strlen(ptr)

define internal i32 @crc_byte(i32 %crc, i8 %b) #0 {
entry:
  %bz = zext i8 %b to i32
  %x = xor i32 %crc, %bz
  %idx = and i32 %x, 255
  %tp = getelementptr inbounds [256 x i32], ptr @crc_table, i32 0, i32 %idx
  %t = load i32, ptr %tp, align 4
  %sh = lshr i32 %crc, 8
  %r = xor i32 %t, %sh
  ret i32 %r
}

define i32 @crc32_buf(ptr %p, i32 %len) #0 {
entry:
  %empty = icmp eq i32 %len, 0
  br i1 %empty, label %done, label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i1, %loop ]
  %crc = phi i32 [ -1, %entry ], [ %crc1, %loop ]
  %bp = getelementptr inbounds i8, ptr %p, i32 %i
  %b = load i8, ptr %bp
  %crc1 = call i32 @crc_byte(i32 %crc, i8 %b)
  %i1 = add i32 %i, 1
  %more = icmp ult i32 %i1, %len
  br i1 %more, label %loop, label %done
done:
  %c = phi i32 [ -1, %entry ], [ %crc1, %loop ]
  %r = xor i32 %c, -1
  ret i32 %r
}

define i32 @crc32_check() #0 {
entry:
  %r = call i32 @crc32_buf(ptr @s0, i32 9)
  ret i32 %r
}

define i32 @crc32_str(i32 %idx) #0 {
entry:
  %i = and i32 %idx, 3
  %sp = getelementptr inbounds [4 x ptr], ptr @strings, i32 0, i32 %i
  %s = load ptr, ptr %sp
  %len64 = call i64 @strlen(ptr %s)
  %len = trunc i64 %len64 to i32
  %r = call i32 @crc32_buf(ptr %s, i32 %len)
  ret i32 %r
}

; scratch[i] = i*7+3 for i < min(n, 256), then the CRC of those bytes
define i32 @crc32_pattern(i32 %n) #0 {
entry:
  %big = icmp ugt i32 %n, 256
  %m = select i1 %big, i32 256, i32 %n
  %empty = icmp eq i32 %m, 0
  br i1 %empty, label %done, label %fill
fill:
  %i = phi i32 [ 0, %entry ], [ %i1, %fill ]
  %v7 = mul i32 %i, 7
  %v = add i32 %v7, 3
  %v8 = trunc i32 %v to i8
  %p = getelementptr inbounds [256 x i8], ptr @scratch, i32 0, i32 %i
  store i8 %v8, ptr %p
  %i1 = add i32 %i, 1
  %more = icmp ult i32 %i1, %m
  br i1 %more, label %fill, label %done
done:
  %r = call i32 @crc32_buf(ptr @scratch, i32 %m)
  ret i32 %r
}

; feeds one byte into a CRC kept in a global; returns the CRC so far
define i32 @crc32_update(i32 %byte) #0 {
entry:
  %st = load i32, ptr @running
  %b = trunc i32 %byte to i8
  %st1 = call i32 @crc_byte(i32 %st, i8 %b)
  store i32 %st1, ptr @running
  %r = xor i32 %st1, -1
  ret i32 %r
}

attributes #0 = { nounwind }
