/** The kinds of connected devices in the demo fleet and what they legitimately order. */
export interface DeviceModel {
  model: string;
  idPrefix: string;
  firmwareVersions: string[];
  /** Consumables re-ordered on a cycle: [sku, unit price, unit cost] in USD cents (scaled per currency). */
  consumables: [string, number, number][];
  /** Days between legitimate re-orders (min, max). */
  cycleDays: [number, number];
  /** The expensive item an attacker makes the device order. */
  attackSku: [string, number, number];
}

export const deviceModels: DeviceModel[] = [
  {
    model: 'InkJet 3000',
    idPrefix: 'PRN',
    firmwareVersions: ['4.1.0', '4.2.0', '4.2.1'],
    consumables: [
      ['TONER-BK-3000', 3499, 1100],
      ['TONER-CMY-3000', 5999, 2000],
      ['PAPER-A4-500', 899, 300],
    ],
    cycleDays: [25, 45],
    attackSku: ['FUSER-KIT-3000', 34900, 21000],
  },
  {
    model: 'Voltra EV',
    idPrefix: 'CAR',
    firmwareVersions: ['2024.10', '2025.02', '2025.06'],
    consumables: [
      ['WIPER-BLADE-V', 2999, 900],
      ['CABIN-FILTER-V', 4599, 1500],
    ],
    cycleDays: [60, 120],
    attackSku: ['TYRE-SET-PREMIUM', 119900, 78000],
  },
  {
    model: 'FreshCube',
    idPrefix: 'FRG',
    firmwareVersions: ['1.8.3', '1.9.0'],
    consumables: [
      ['WATER-FILTER-FC', 3999, 1200],
      ['MILK-2L', 349, 180],
      ['EGGS-12', 499, 250],
    ],
    cycleDays: [5, 12],
    attackSku: ['WAGYU-BOX-2KG', 44900, 31000],
  },
];

/** Where customers live and what they pay in (amounts scaled from USD cents, in minor units). */
export const markets = [
  { country: 'US', currency: 'USD', scale: (usdCents: number) => usdCents, cities: ['Austin', 'Denver', 'Portland', 'Columbus'] },
  { country: 'DE', currency: 'EUR', scale: (usdCents: number) => Math.round(usdCents * 0.92), cities: ['Berlin', 'Leipzig', 'Köln'] },
  { country: 'JP', currency: 'JPY', scale: (usdCents: number) => Math.round(usdCents * 1.5), cities: ['Osaka', 'Sapporo', 'Fukuoka'] },
] as const;

export const streets = ['Main St', 'Oak Ave', 'Harbor Rd', 'Hill St', 'Birch Ln', 'Station Rd', 'Lake View', 'Mill Ln'];
export const firstNames = ['Ada', 'Ben', 'Chen', 'Dana', 'Eli', 'Fatima', 'Goro', 'Hana', 'Ivan', 'Jon', 'Kira', 'Luis', 'Mia', 'Noor'];
export const lastNames = ['Ito', 'Meyer', 'Smith', 'Garcia', 'Kowalski', 'Okafor', 'Tanaka', 'Weber', 'Brown', 'Novak'];
